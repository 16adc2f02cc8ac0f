"""Waybills (filters: car, driver, date_from, date_to) and records (filter: the waybill), both kinds."""

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query

from opsuite.waybills.auth.service import MOBILE, Actor
from opsuite.waybills.fields import Id
from opsuite.waybills.kinds import FIRE_TRUCK, PASSENGER, VehicleKind
from opsuite.waybills.sheets import service
from opsuite.waybills.sheets.schemas import (
    FireTruckRecordIn,
    FireTruckRecordOut,
    PassengerCarRecordIn,
    PassengerCarRecordOut,
    WaybillIn,
    WaybillOut,
)
from opsuite.waybills.viewsets import Flags, Resource, bind, register

router = APIRouter()


async def _waybill_filters(
    car: Annotated[Id | None, Query(description="Car id")] = None,
    driver: Annotated[Id | None, Query(description="Driver (user) id")] = None,
    date_from: Annotated[dt.date | None, Query(description="First date, inclusive")] = None,
    date_to: Annotated[dt.date | None, Query(description="Last date, inclusive")] = None,
) -> dict[str, Any]:
    return {"car": car, "driver": driver, "date_from": date_from, "date_to": date_to}


def record_create_rule(kind: VehicleKind) -> Callable[[Actor], bool]:
    """Web tokens need the create-records flag; mobile tokens need `can_use_mobile_booking`."""
    web_flag = f"can_create_{kind.waybill_flags}_records"
    return lambda actor: actor.allows("can_use_mobile_booking" if actor.client == MOBILE else web_flag)


def _add_kind(kind: VehicleKind, record_in: Any, record_out: Any, examples: dict[str, Any]) -> None:
    async def record_filters(**query: Any) -> dict[str, Any]:
        return {"waybill": query.get(kind.waybill_field)}

    # FastAPI reads the query parameter's name from the signature, so it is declared per kind.
    record_filters.__signature__ = _signature_with(kind.waybill_field)  # type: ignore[attr-defined]

    register(
        router,
        Resource(
            prefix=f"{kind.slug}-waybills",
            tag=kind.title,
            read=WaybillOut,
            write=WaybillIn,
            service=bind(
                service,
                {
                    "get": "get_waybill",
                    "create": "create_waybill",
                    "update": "update_waybill",
                    "delete": "delete_waybill",
                },
                kind=kind,
            ),
            flags=Flags.of(kind.waybill_flags),
            list_rows=lambda session, **query: service.list_waybills(session, kind=kind, **query),
            examples=examples["waybill"],
        ),
        _waybill_filters,
    )
    register(
        router,
        Resource(
            prefix=f"{kind.slug}-records",
            tag=kind.title,
            read=record_out,
            write=record_in,
            service=bind(
                service,
                {
                    "get": "get_record",
                    "create": "create_record",
                    "update": "update_record",
                    "delete": "delete_record",
                },
                kind=kind,
            ),
            # Listing records is gated by the waybill view flag, as in the original.
            flags=Flags.of(f"{kind.waybill_flags}_records", view=f"view_{kind.waybill_flags}"),
            create_rule=record_create_rule(kind),
            list_rows=lambda session, **query: service.list_records(session, kind=kind, **query),
            examples=examples["record"],
        ),
        record_filters,
    )


def _signature_with(name: str) -> Any:
    import inspect

    return inspect.Signature(
        [
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=Annotated[Id | None, Query(description="Waybill id")],
            )
        ]
    )


_add_kind(
    PASSENGER,
    PassengerCarRecordIn,
    PassengerCarRecordOut,
    {
        "waybill": {
            "car": 1,
            "driver": 5,
            "date": "2024-09-15",
            "norm_season": "summer",
            "fuel_type": "petrol",
        },
        "record": {
            "passenger_car_waybill": 5,
            "target": "Поездка в город",
            "departure_time": "08:10:00",
            "arrival_time": "10:00:00",
            "distance_city_km": 50,
            "distance_area_km": 0,
            "fuel_refueled": "10.000",
            "fuel_used": "8.000",
        },
    },
)
_add_kind(
    FIRE_TRUCK,
    FireTruckRecordIn,
    FireTruckRecordOut,
    {
        "waybill": {
            "car": 2,
            "driver": 5,
            "date": "2024-09-15",
            "norm_season": "winter",
            "fuel_type": "diesel",
        },
        "record": {
            "fire_truck_waybill": 8,
            "target": "Выезд на пожар",
            "departure_time": "14:00:00",
            "arrival_time": "15:30:00",
            "odometer_after": 20090,
            "time_with_pump": 30,
            "time_without_pump": 15,
            "fuel_refueled": "20.000",
            "fuel_used": "25.000",
        },
    },
)
