"""Cars, fire trucks, their norms (with `for-date/`) and states (with `last/`), for both kinds."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from opsuite.waybills.auth.service import Actor
from opsuite.waybills.deps import SessionDep, require
from opsuite.waybills.fields import Id
from opsuite.waybills.fleet import service
from opsuite.waybills.fleet.schemas import (
    FireTruckIn,
    FireTruckNormIn,
    FireTruckNormOut,
    FireTruckOut,
    PassengerCarIn,
    PassengerCarNormIn,
    PassengerCarNormOut,
    PassengerCarOut,
    StateIn,
    StateOut,
)
from opsuite.waybills.kinds import FIRE_TRUCK, PASSENGER, VehicleKind
from opsuite.waybills.viewsets import Flags, Resource, bind, register

router = APIRouter()

_CRUD = {"get": "get_{}", "create": "create_{}", "update": "update_{}", "delete": "delete_{}"}


def _names(noun: str) -> dict[str, str]:
    return {action: template.format(noun) for action, template in _CRUD.items()}


async def _car_filters(
    include_odometer: Annotated[bool, Query(description="Add each car's odometer/fuel history")] = False,
) -> dict[str, Any]:
    return {"include_odometer": include_odometer}


async def _by_car(car: Annotated[Id | None, Query(description="Car id")] = None) -> dict[str, Any]:
    return {"car": car}


def _add_kind(
    kind: VehicleKind, car_in: Any, car_out: Any, norm_in: Any, norm_out: Any, examples: dict[str, Any]
) -> None:
    tag = kind.title
    view_cars = require(f"view_{kind.car_flags}")
    view_norms = require(f"view_{kind.norm_flags}")

    @router.get(
        f"/{kind.slug}-norms/for-date/",
        response_model=norm_out,
        tags=[tag],
        summary="Norm in force on a date",
    )
    def norm_for_date(
        session: SessionDep,
        _: Annotated[Actor, Depends(view_norms)],
        car: Annotated[str | None, Query(examples=["1"])] = None,
        season: Annotated[str | None, Query(examples=["summer"])] = None,
        date: Annotated[str | None, Query(examples=["2024-09-15"])] = None,
    ) -> Any:
        """The latest norm of the car and season dated on or before `date`."""
        return norm_out.model_validate(
            service.norm_for_date(session, kind=kind, car=car, season=season, date=date)
        )

    @router.get(
        f"/{kind.slug}-odometer-fuel/last/",
        response_model=StateOut,
        tags=[tag],
        summary="Latest state of a car",
    )
    def last_state(
        session: SessionDep,
        _: Annotated[Actor, Depends(view_cars)],
        car: Annotated[str | None, Query(examples=["1"])] = None,
    ) -> Any:
        """The state a new trip of the car would start from."""
        return StateOut.model_validate(service.last_state(session, kind=kind, car=car))

    register(
        router,
        Resource(
            prefix=kind.cars_slug,
            tag=tag,
            read=car_out,
            write=car_in,
            service=bind(service, _names("car"), kind=kind),
            flags=Flags.of(kind.car_flags),
            list_rows=lambda session, **query: service.list_cars(session, kind=kind, **query),
            examples=examples["car"],
        ),
        _car_filters,
    )
    register(
        router,
        Resource(
            prefix=f"{kind.slug}-norms",
            tag=tag,
            read=norm_out,
            write=norm_in,
            service=bind(service, _names("norm"), kind=kind),
            flags=Flags.of(kind.norm_flags),
            list_rows=lambda session, **query: service.list_norms(session, kind=kind, **query),
            examples=examples["norm"],
        ),
        _by_car,
    )
    register(
        router,
        Resource(
            prefix=f"{kind.slug}-odometer-fuel",
            tag=tag,
            read=StateOut,
            write=StateIn,
            service=bind(service, _names("state"), kind=kind),
            flags=Flags.of(kind.car_flags),  # the original gates states by the car flags
            list_rows=lambda session, **query: service.list_states(session, kind=kind, **query),
            examples=examples["state"],
        ),
        _by_car,
    )


_add_kind(
    PASSENGER,
    PassengerCarIn,
    PassengerCarOut,
    PassengerCarNormIn,
    PassengerCarNormOut,
    {
        "car": {"number": "A001AA54", "brand": "Toyota", "model": "Camry"},
        "norm": {
            "car": 1,
            "season": "summer",
            "city_norm": "0.090",
            "area_norm": "0.110",
            "date": "2024-09-01",
        },
        "state": {"car": 1, "odometer": 100000, "fuel": "40.000", "date": "2024-09-01", "waybill": None},
    },
)
_add_kind(
    FIRE_TRUCK,
    FireTruckIn,
    FireTruckOut,
    FireTruckNormIn,
    FireTruckNormOut,
    {
        "car": {"number": "A101AA54", "brand": "КАМАЗ", "model": "43118", "type": "АЦ-3,2-40"},
        "norm": {
            "car": 2,
            "season": "winter",
            "with_pump_norm": "0.250",
            "without_pump_norm": "0.150",
            "km_norm": "0.657",
            "date": "2024-09-01",
        },
        "state": {"car": 2, "odometer": 20000, "fuel": "150.000", "date": "2024-09-01", "waybill": None},
    },
)
