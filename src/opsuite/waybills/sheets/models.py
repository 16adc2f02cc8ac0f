"""Waybills (путевые листы) with server-computed aggregates, their records, and number counters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Time, select, text
from sqlalchemy.orm import Mapped, column_property, declared_attr, mapped_column

from opsuite.waybills.base import Base, Milli, SoftDelete
from opsuite.waybills.users.models import User

LIVE = text("deleted_at IS NULL")
ZERO = Decimal("0.000")


class Counter(Base):
    """A named counter incremented atomically (waybill numbers)."""

    __tablename__ = "counter"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class Waybill(SoftDelete):
    """Header columns and aggregates shared by both kinds of waybill."""

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(6), unique=True)
    driver_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    norm_season: Mapped[str] = mapped_column(String(10))
    fuel_type: Mapped[str | None] = mapped_column(String(10), default=None)
    upon_issuance: Mapped[Decimal] = mapped_column(Milli(), default=ZERO)
    total_spent: Mapped[Decimal] = mapped_column(Milli(), default=ZERO)
    total_received: Mapped[Decimal] = mapped_column(Milli(), default=ZERO)
    required_by_norm: Mapped[Decimal] = mapped_column(Milli(), default=ZERO)
    availability_upon_delivery: Mapped[Decimal] = mapped_column(Milli(), default=ZERO)
    savings: Mapped[Decimal] = mapped_column(Milli(), default=ZERO)
    overrun: Mapped[Decimal] = mapped_column(Milli(), default=ZERO)

    @declared_attr
    def driver_full_name(cls) -> Mapped[str]:
        """ "Surname Name Patronymic" of the driver, computed by the database with the row."""
        return column_property(
            select(User.surname + " " + User.name + " " + User.last_name)
            .where(User.id == cls.driver_id)
            .correlate_except(User)
            .scalar_subquery()
        )

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Index, ...]:
        table = cls.__tablename__  # type: ignore[attr-defined]
        return (
            Index(f"uq_{table}_car_driver_date_live", "car_id", "driver_id", "date", unique=True,
                  sqlite_where=LIVE, postgresql_where=LIVE),
            Index(f"ix_{table}_car_date", "car_id", "date"),
        )  # fmt: skip


class PassengerCarWaybill(Waybill, Base):
    """Путевой лист легкового автомобиля."""

    __tablename__ = "passenger_car_waybill"

    car_id: Mapped[int] = mapped_column(ForeignKey("passenger_car.id"))


class FireTruckWaybill(Waybill, Base):
    """Эксплуатационная карточка пожарного автомобиля."""

    __tablename__ = "fire_truck_waybill"

    car_id: Mapped[int] = mapped_column(ForeignKey("fire_truck.id"))


class Record(SoftDelete):
    """Columns shared by both kinds of record: the trip, the fuel balance and the odometer."""

    id: Mapped[int] = mapped_column(primary_key=True)
    target: Mapped[str] = mapped_column(String(255))
    departure_time: Mapped[dt.time] = mapped_column(Time)
    arrival_time: Mapped[dt.time] = mapped_column(Time)
    fuel_refueled: Mapped[Decimal] = mapped_column(Milli(), default=ZERO)
    fuel_used: Mapped[Decimal] = mapped_column(Milli())
    odometer_before: Mapped[int] = mapped_column(Integer, default=0)
    odometer_after: Mapped[int] = mapped_column(Integer, default=0)
    fuel_before_departure: Mapped[Decimal] = mapped_column(Milli(), default=ZERO)
    fuel_used_normal: Mapped[Decimal] = mapped_column(Milli(), default=ZERO)
    fuel_on_return: Mapped[Decimal] = mapped_column(Milli(), default=ZERO)


class PassengerCarRecord(Record, Base):
    """A trip of a passenger car: distances in and outside the city."""

    __tablename__ = "passenger_car_waybill_record"

    waybill_id: Mapped[int] = mapped_column(
        "passenger_car_waybill_id", ForeignKey("passenger_car_waybill.id"), index=True
    )
    distance_city_km: Mapped[int] = mapped_column(Integer)
    distance_area_km: Mapped[int] = mapped_column(Integer)
    distance_total_km: Mapped[int] = mapped_column(Integer, default=0)
    fuel_used_city: Mapped[Decimal] = mapped_column(Milli(), default=ZERO)
    fuel_used_area: Mapped[Decimal] = mapped_column(Milli(), default=ZERO)


class FireTruckRecord(Record, Base):
    """A trip of a fire truck: odometer after the trip, minutes with and without the pump."""

    __tablename__ = "fire_truck_waybill_record"

    waybill_id: Mapped[int] = mapped_column(
        "fire_truck_waybill_id", ForeignKey("fire_truck_waybill.id"), index=True
    )
    driving_route: Mapped[str | None] = mapped_column(String(255), default=None)
    time_with_pump: Mapped[int] = mapped_column(Integer)
    time_without_pump: Mapped[int] = mapped_column(Integer)
    distance_km: Mapped[int] = mapped_column(Integer, default=0)
    fuel_used_by_distance: Mapped[Decimal] = mapped_column(Milli(), default=ZERO)
    fuel_used_with_pump: Mapped[Decimal] = mapped_column(Milli(), default=ZERO)
    fuel_used_without_pump: Mapped[Decimal] = mapped_column(Milli(), default=ZERO)
