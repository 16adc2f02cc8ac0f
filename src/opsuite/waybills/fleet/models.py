"""Cars and fire trucks, their fuel norms, and their odometer/fuel states."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, validates

from opsuite.core.plates import plate_key
from opsuite.waybills.base import Base, Milli, SoftDelete

LIVE = text("deleted_at IS NULL")
LIVE_ORIGINAL = text("deleted_at IS NULL AND duplicate_of IS NULL")


class Vehicle(SoftDelete):
    """Columns shared by both kinds of vehicle; the number's key is unique among live rows.

    `number` is kept as typed (for display); `number_key` is its `plate_key` (case, script and spaces
    folded), which uniqueness and lookups compare. `duplicate_of` is set only by migration 0003 on a car
    whose number already belonged to an older live car: both stay, the unique index skips the younger
    one until its number is changed (see docs/waybills.md).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(9))
    number_key: Mapped[str] = mapped_column(String(32), server_default="")
    duplicate_of: Mapped[int | None] = mapped_column(Integer, default=None)
    brand: Mapped[str] = mapped_column(String(60))
    model: Mapped[str] = mapped_column(String(60))

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Index, ...]:
        table = cls.__tablename__  # type: ignore[attr-defined]
        return (
            Index(
                f"uq_{table}_number_key_live",
                "number_key",
                unique=True,
                sqlite_where=LIVE_ORIGINAL,
                postgresql_where=LIVE_ORIGINAL,
            ),
        )

    @validates("number")
    def _fold_number(self, _name: str, value: str) -> str:
        """Keep `number_key` in step with `number`; a new key also ends a migrated duplicate's mark."""
        key = plate_key(value)
        if key != self.number_key:
            self.number_key = key
            self.duplicate_of = None
        return value


class PassengerCar(Vehicle, Base):
    """A passenger car (легковой автомобиль)."""

    __tablename__ = "passenger_car"


class FireTruck(Vehicle, Base):
    """A fire truck (пожарный автомобиль)."""

    __tablename__ = "fire_truck"

    type: Mapped[str] = mapped_column(String(60))


class Norm(SoftDelete):
    """A fuel norm of one car and season, in force from `date`."""

    id: Mapped[int] = mapped_column(primary_key=True)
    season: Mapped[str] = mapped_column(String(10))
    date: Mapped[date] = mapped_column(Date)


class PassengerCarNorm(Norm, Base):
    """Litres per km in the city and outside it."""

    __tablename__ = "norms_passenger_cars"

    car_id: Mapped[int] = mapped_column(ForeignKey("passenger_car.id"), index=True)
    city_norm: Mapped[Decimal] = mapped_column(Milli())
    area_norm: Mapped[Decimal] = mapped_column(Milli())


class FireTruckNorm(Norm, Base):
    """Litres per minute with and without the pump, and litres per km."""

    __tablename__ = "norms_fire_truck"

    car_id: Mapped[int] = mapped_column(ForeignKey("fire_truck.id"), index=True)
    with_pump_norm: Mapped[Decimal] = mapped_column(Milli())
    without_pump_norm: Mapped[Decimal] = mapped_column(Milli())
    km_norm: Mapped[Decimal] = mapped_column(Milli())


class OdometerFuel(SoftDelete):
    """A state of a car: odometer and fuel. Rows with `record_id` are written by the fuel chain."""

    id: Mapped[int] = mapped_column(primary_key=True)
    odometer: Mapped[int] = mapped_column(Integer)
    fuel: Mapped[Decimal] = mapped_column(Milli())
    date: Mapped[date] = mapped_column(Date)


class PassengerCarOdometerFuel(OdometerFuel, Base):
    """State history of a passenger car."""

    __tablename__ = "odometer_fuel_passenger_car"
    __table_args__ = (Index("ix_odometer_fuel_passenger_car_chain", "car_id", "date", "id"),)

    car_id: Mapped[int] = mapped_column(ForeignKey("passenger_car.id"))
    waybill_id: Mapped[int | None] = mapped_column(ForeignKey("passenger_car_waybill.id"), default=None)
    record_id: Mapped[int | None] = mapped_column(
        ForeignKey("passenger_car_waybill_record.id"), default=None, unique=True
    )


class FireTruckOdometerFuel(OdometerFuel, Base):
    """State history of a fire truck."""

    __tablename__ = "odometer_fuel_fire_truck"
    __table_args__ = (Index("ix_odometer_fuel_fire_truck_chain", "car_id", "date", "id"),)

    car_id: Mapped[int] = mapped_column(ForeignKey("fire_truck.id"))
    waybill_id: Mapped[int | None] = mapped_column(ForeignKey("fire_truck_waybill.id"), default=None)
    record_id: Mapped[int | None] = mapped_column(
        ForeignKey("fire_truck_waybill_record.id"), default=None, unique=True
    )
