"""Waybills (filters: car, driver, date_from, date_to) and records (filter: the waybill), both kinds."""

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query

from opsuite.core.fields import Id
from opsuite.waybills.auth.service import MOBILE, Actor
from opsuite.waybills.kinds import FIRE_TRUCK, PASSENGER, VehicleKind
from opsuite.waybills.sheets import service
from opsuite.waybills.sheets.schemas import (
    FireTruckRecordIn,
    FireTruckRecordOut,
    PassengerCarRecordIn,
    PassengerCarRecordOut,
    RecordFilters,
    WaybillFilters,
    WaybillIn,
    WaybillOut,
)
from opsuite.waybills.viewsets import Actions, Examples, Resource, register

router = APIRouter()


async def _waybill_filters(
    car: Annotated[Id | None, Query(description="Car id")] = None,
    driver: Annotated[Id | None, Query(description="Driver (user) id")] = None,
    date_from: Annotated[dt.date | None, Query(description="First date, inclusive")] = None,
    date_to: Annotated[dt.date | None, Query(description="Last date, inclusive")] = None,
) -> WaybillFilters:
    return WaybillFilters(car=car, driver=driver, date_from=date_from, date_to=date_to)


# The records' query parameter is named after the kind's waybill field, as in the original.
WaybillId = Annotated[Id | None, Query(description="Waybill id")]


async def _passenger_car_record_filters(passenger_car_waybill: WaybillId = None) -> RecordFilters:
    return RecordFilters(waybill=passenger_car_waybill)


async def _fire_truck_record_filters(fire_truck_waybill: WaybillId = None) -> RecordFilters:
    return RecordFilters(waybill=fire_truck_waybill)


def record_create_rule(kind: VehicleKind) -> Callable[[Actor], bool]:
    """Web tokens need the create-records flag; mobile tokens need `can_use_mobile_booking`."""
    web_flag = kind.record_flags.create
    return lambda actor: actor.allows("can_use_mobile_booking" if actor.client == MOBILE else web_flag)


def _add_kind(
    kind: VehicleKind,
    record_in: Any,
    record_out: Any,
    record_filters: Callable[..., Awaitable[RecordFilters]],
    examples: dict[str, Any],
) -> None:
    waybills = Actions.of_kind(
        kind,
        service.list_waybills,
        service.get_waybill,
        service.create_waybill,
        service.update_waybill,
        service.delete_waybill,
    )
    records = Actions.of_kind(
        kind,
        service.list_records,
        service.get_record,
        service.create_record,
        service.update_record,
        service.delete_record,
    )
    register(
        router,
        Resource(
            prefix=f"{kind.slug}-waybills",
            tag=kind.title,
            read=WaybillOut,
            write=WaybillIn,
            actions=waybills,
            flags=kind.waybill_flags,
            filters=_waybill_filters,
            examples=examples["waybill"],
        ),
    )
    register(
        router,
        Resource(
            prefix=f"{kind.slug}-records",
            tag=kind.title,
            read=record_out,
            write=record_in,
            actions=records,
            flags=kind.record_flags,
            create_rule=record_create_rule(kind),
            filters=record_filters,
            examples=examples["record"],
        ),
    )


_add_kind(
    PASSENGER,
    PassengerCarRecordIn,
    PassengerCarRecordOut,
    _passenger_car_record_filters,
    {
        "waybill": Examples(
            create={
                "car": 1,
                "driver": 3,
                "date": "2025-01-16",
                "norm_season": "winter",
                "fuel_type": "petrol",
            },
            item=1,
            replace={
                "car": 1,
                "driver": 3,
                "date": "2025-01-15",
                "norm_season": "winter",
                "fuel_type": "petrol",
            },
            change={"fuel_type": "petrol"},
            created=2,
        ),
        "record": Examples(
            create={
                "passenger_car_waybill": 1,
                "target": "Возвращение на базу",
                "departure_time": "11:00:00",
                "arrival_time": "12:00:00",
                "distance_city_km": 30,
                "distance_area_km": 0,
                "fuel_refueled": "0.000",
                "fuel_used": "3.000",
            },
            item=1,
            replace={
                "passenger_car_waybill": 1,
                "target": "Поездка в город",
                "departure_time": "08:10:00",
                "arrival_time": "10:00:00",
                "distance_city_km": 20,
                "distance_area_km": 50,
                "fuel_refueled": "10.000",
                "fuel_used": "7.500",
            },
            change={"target": "Поездка в город"},
            created=2,
        ),
    },
)
_add_kind(
    FIRE_TRUCK,
    FireTruckRecordIn,
    FireTruckRecordOut,
    _fire_truck_record_filters,
    {
        "waybill": Examples(
            create={
                "car": 2,
                "driver": 4,
                "date": "2025-01-16",
                "norm_season": "winter",
                "fuel_type": "diesel",
            },
            item=1,
            replace={
                "car": 1,
                "driver": 4,
                "date": "2025-01-15",
                "norm_season": "winter",
                "fuel_type": "diesel",
            },
            change={"fuel_type": "diesel"},
            created=2,
        ),
        "record": Examples(
            create={
                "fire_truck_waybill": 1,
                "target": "Возвращение в часть",
                "departure_time": "16:00:00",
                "arrival_time": "16:40:00",
                "odometer_after": 50035,
                "time_with_pump": 0,
                "time_without_pump": 5,
                "fuel_refueled": "20.000",
                "fuel_used": "4.000",
            },
            item=1,
            replace={
                "fire_truck_waybill": 1,
                "target": "Выезд на пожар",
                "departure_time": "14:00:00",
                "arrival_time": "15:30:00",
                "odometer_after": 50020,
                "time_with_pump": 30,
                "time_without_pump": 10,
                "fuel_refueled": "0.000",
                "fuel_used": "9.500",
            },
            change={"target": "Выезд на пожар"},
            created=2,
        ),
    },
)
