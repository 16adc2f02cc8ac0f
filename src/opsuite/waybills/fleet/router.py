"""Cars, fire trucks, their norms (with `for-date/`) and states (with `last/`), for both kinds."""

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from opsuite.core.fields import Id
from opsuite.core.web.deps import SessionDep
from opsuite.waybills.auth.service import Actor
from opsuite.waybills.deps import Require
from opsuite.waybills.fleet import service
from opsuite.waybills.fleet.schemas import (
    ByCar,
    CarFilters,
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
from opsuite.waybills.viewsets import Actions, Resource, register

router = APIRouter()


async def _car_filters(
    include_odometer: Annotated[bool, Query(description="Add each car's odometer/fuel history")] = False,
) -> CarFilters:
    return CarFilters(include_odometer=include_odometer)


async def _by_car(car: Annotated[Id | None, Query(description="Car id")] = None) -> ByCar:
    return ByCar(car=car)


def _add_kind(
    kind: VehicleKind, car_in: Any, car_out: Any, norm_in: Any, norm_out: Any, examples: dict[str, Any]
) -> None:
    tag = kind.title
    view_cars = Require(kind.car_flags.view)
    view_norms = Require(kind.norm_flags.view)

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

    cars = Actions(
        list=partial(service.list_cars, kind=kind),
        get=partial(service.get_car, kind=kind),
        create=partial(service.create_car, kind=kind),
        update=partial(service.update_car, kind=kind),
        delete=partial(service.delete_car, kind=kind),
    )
    norms = Actions(
        list=partial(service.list_norms, kind=kind),
        get=partial(service.get_norm, kind=kind),
        create=partial(service.create_norm, kind=kind),
        update=partial(service.update_norm, kind=kind),
        delete=partial(service.delete_norm, kind=kind),
    )
    states = Actions(
        list=partial(service.list_states, kind=kind),
        get=partial(service.get_state, kind=kind),
        create=partial(service.create_state, kind=kind),
        update=partial(service.update_state, kind=kind),
        delete=partial(service.delete_state, kind=kind),
    )
    for resource in (
        Resource(
            kind.cars_slug, tag, car_out, car_in, cars, kind.car_flags, _car_filters, examples=examples["car"]
        ),
        Resource(
            f"{kind.slug}-norms",
            tag,
            norm_out,
            norm_in,
            norms,
            kind.norm_flags,
            _by_car,
            examples=examples["norm"],
        ),
        # The original gates states by the car flags.
        Resource(
            f"{kind.slug}-odometer-fuel",
            tag,
            StateOut,
            StateIn,
            states,
            kind.car_flags,
            _by_car,
            examples=examples["state"],
        ),
    ):
        register(router, resource)


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
