"""Schemas of cars, fire trucks, norms and odometer/fuel states."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import Field

from opsuite.core.fields import Id
from opsuite.waybills.fields import Decimal3, In, Out, Season, amount, count, text


@dataclass(frozen=True)
class CarFilters:
    """The query of a car list."""

    include_odometer: bool = False
    number: str | None = None  # any spelling of the number: compared by its plate key


@dataclass(frozen=True)
class ByCar:
    """The query of a norm or state list: one car's, or all."""

    car: int | None = None


class StateOut(Out):
    """An odometer/fuel state."""

    id: int
    car: int = Field(validation_alias="car_id")
    odometer: int
    fuel: Decimal3
    date: dt.date
    waybill: int | None = Field(validation_alias="waybill_id")
    deleted_at: dt.datetime | None


class StateIn(In):
    """A state entered by hand (a mechanic's reading). With a waybill, missing values come from it."""

    car: Id | None = Field(default=None, examples=[1])
    odometer: count(999_999, example=100000) | None = None  # type: ignore[valid-type]
    fuel: amount(6, example="40.000") | None = None  # type: ignore[valid-type]
    date: dt.date | None = Field(default=None, examples=["2024-09-01"])
    waybill: Id | None = Field(default=None, examples=[None])


class PassengerCarIn(In):
    """A passenger car as sent."""

    number: text(9, example="A003AA54")  # type: ignore[valid-type]
    brand: text(60, example="Toyota")  # type: ignore[valid-type]
    model: text(60, example="Camry")  # type: ignore[valid-type]


class FireTruckIn(PassengerCarIn):
    """A fire truck as sent."""

    type: text(60, example="АЦ-3,2-40")  # type: ignore[valid-type]


class PassengerCarOut(Out):
    """A passenger car; `odometer_fuel_records` is filled with `?include_odometer=true`."""

    id: int
    number: str
    brand: str
    model: str
    deleted_at: dt.datetime | None
    odometer_fuel_records: list[StateOut] | None = None


class FireTruckOut(Out):
    """A fire truck; `odometer_fuel_records` is filled with `?include_odometer=true`."""

    id: int
    number: str
    brand: str
    model: str
    type: str
    deleted_at: dt.datetime | None
    odometer_fuel_records: list[StateOut] | None = None


class PassengerCarNormIn(In):
    """Litres per km in the city and outside it, in force from `date` (today if left out)."""

    car: Id = Field(examples=[1])
    season: Season = Field(examples=["summer"])
    city_norm: amount(4, example="0.090")  # type: ignore[valid-type]
    area_norm: amount(4, example="0.110")  # type: ignore[valid-type]
    date: dt.date | None = Field(default=None, examples=["2024-09-01"])


class FireTruckNormIn(In):
    """Litres per minute with and without the pump and litres per km, in force from `date`."""

    car: Id = Field(examples=[2])
    season: Season = Field(examples=["winter"])
    with_pump_norm: amount(4, example="0.250")  # type: ignore[valid-type]
    without_pump_norm: amount(4, example="0.150")  # type: ignore[valid-type]
    km_norm: amount(4, example="0.657")  # type: ignore[valid-type]
    date: dt.date | None = Field(default=None, examples=["2024-09-01"])


class PassengerCarNormOut(Out):
    """A passenger-car norm."""

    id: int
    car: int = Field(validation_alias="car_id")
    season: str
    city_norm: Decimal3
    area_norm: Decimal3
    date: dt.date
    deleted_at: dt.datetime | None


class FireTruckNormOut(Out):
    """A fire-truck norm."""

    id: int
    car: int = Field(validation_alias="car_id")
    season: str
    with_pump_norm: Decimal3
    without_pump_norm: Decimal3
    km_norm: Decimal3
    date: dt.date
    deleted_at: dt.datetime | None


NormIn = PassengerCarNormIn | FireTruckNormIn
