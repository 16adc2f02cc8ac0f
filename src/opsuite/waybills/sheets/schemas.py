"""Schemas of waybills and their records; aggregates and computed values are read-only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from pydantic import Field

from opsuite.core.fields import Id
from opsuite.waybills.fields import Decimal3, In, Out, Season, TimeOut, amount, count, text

FuelType = Literal["petrol", "diesel", "petrol92", "petrol95"]


@dataclass(frozen=True)
class WaybillFilters:
    """The query of a waybill list: by car, driver and an inclusive date range."""

    car: int | None = None
    driver: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True)
class RecordFilters:
    """The query of a record list: one waybill's, or all."""

    waybill: int | None = None


class WaybillIn(In):
    """A waybill header as sent; `date` is today when left out."""

    car: Id = Field(examples=[1])
    driver: Id = Field(examples=[5])
    date: dt.date | None = Field(default=None, examples=["2024-09-15"])
    norm_season: Season = Field(examples=["summer"])
    fuel_type: FuelType | None = Field(default=None, examples=["petrol"])


class WaybillOut(Out):
    """A waybill with the aggregates the server keeps."""

    id: int
    number: str
    car: int = Field(validation_alias="car_id")
    driver: int = Field(validation_alias="driver_id")
    driver_full_name: str
    date: dt.date
    norm_season: str
    fuel_type: str | None
    upon_issuance: Decimal3
    total_spent: Decimal3
    total_received: Decimal3
    required_by_norm: Decimal3
    availability_upon_delivery: Decimal3
    savings: Decimal3
    overrun: Decimal3
    deleted_at: dt.datetime | None


class _TripIn(In):
    target: text(255, example="Поездка в город")  # type: ignore[valid-type]
    departure_time: dt.time = Field(examples=["08:10:00"])
    arrival_time: dt.time = Field(examples=["10:00:00"])
    fuel_refueled: amount(6, example="10.000") = Decimal("0.000")  # type: ignore[valid-type]
    fuel_used: amount(6, example="8.000")  # type: ignore[valid-type]


class PassengerCarRecordIn(_TripIn):
    """A passenger-car trip as the driver sends it."""

    passenger_car_waybill: Id = Field(examples=[5])
    distance_city_km: count(2000, example=50)  # type: ignore[valid-type]
    distance_area_km: count(2000, example=0)  # type: ignore[valid-type]


class FireTruckRecordIn(_TripIn):
    """A fire-truck trip as the driver sends it."""

    fire_truck_waybill: Id = Field(examples=[8])
    driving_route: text(255, example="Депо — ул. Ленина, 1") | None = None  # type: ignore[valid-type]
    odometer_after: count(999_999, example=20090)  # type: ignore[valid-type]
    time_with_pump: count(2000, example=30)  # type: ignore[valid-type]
    time_without_pump: count(2000, example=15)  # type: ignore[valid-type]
    fuel_used: amount(7, example="25.000")  # type: ignore[valid-type]


class PassengerCarRecordOut(Out):
    """A passenger-car record with the values the server computed."""

    id: int
    passenger_car_waybill: int = Field(validation_alias="waybill_id")
    target: str
    departure_time: TimeOut
    arrival_time: TimeOut
    distance_city_km: int
    distance_area_km: int
    fuel_refueled: Decimal3
    fuel_used: Decimal3
    odometer_before: int
    fuel_before_departure: Decimal3
    distance_total_km: int
    odometer_after: int
    fuel_used_city: Decimal3
    fuel_used_area: Decimal3
    fuel_used_normal: Decimal3
    fuel_on_return: Decimal3
    deleted_at: dt.datetime | None


class FireTruckRecordOut(Out):
    """A fire-truck record with the values the server computed."""

    id: int
    fire_truck_waybill: int = Field(validation_alias="waybill_id")
    target: str
    driving_route: str | None
    departure_time: TimeOut
    arrival_time: TimeOut
    odometer_after: int
    time_with_pump: int
    time_without_pump: int
    fuel_refueled: Decimal3
    fuel_used: Decimal3
    odometer_before: int
    fuel_before_departure: Decimal3
    distance_km: int
    fuel_used_by_distance: Decimal3
    fuel_used_with_pump: Decimal3
    fuel_used_without_pump: Decimal3
    fuel_used_normal: Decimal3
    fuel_on_return: Decimal3
    deleted_at: dt.datetime | None


RecordIn = PassengerCarRecordIn | FireTruckRecordIn
