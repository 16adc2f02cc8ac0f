"""Cars, fire trucks, their norms (with `for-date/`) and states (with `last/`), for both kinds."""

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
    number: Annotated[
        str | None,
        Query(
            max_length=40,
            description="Only the car with this number, spelt any way (case, Cyrillic or Latin, spaces)",
        ),
    ] = None,
) -> CarFilters:
    return CarFilters(include_odometer=include_odometer, number=number)


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

    cars = Actions.of_kind(
        kind, service.list_cars, service.get_car, service.create_car, service.update_car, service.delete_car
    )
    norms = Actions.of_kind(
        kind,
        service.list_norms,
        service.get_norm,
        service.create_norm,
        service.update_norm,
        service.delete_norm,
    )
    states = Actions.of_kind(
        kind, service.list_states, service.get_state, service.create_state, service.update_state,
        service.delete_state,
    )  # fmt: skip
    cars_resource = Resource(
        prefix=kind.cars_slug, tag=tag, read=car_out, write=car_in, actions=cars, flags=kind.car_flags,
        filters=_car_filters, examples=examples["car"],
    )  # fmt: skip
    norms_resource = Resource(
        prefix=f"{kind.slug}-norms", tag=tag, read=norm_out, write=norm_in, actions=norms,
        flags=kind.norm_flags, filters=_by_car, examples=examples["norm"],
    )  # fmt: skip
    # The original gates states by the car flags.
    states_resource = Resource(
        prefix=f"{kind.slug}-odometer-fuel", tag=tag, read=StateOut, write=StateIn, actions=states,
        flags=kind.car_flags, filters=_by_car, examples=examples["state"],
    )  # fmt: skip
    for resource in (cars_resource, norms_resource, states_resource):
        register(router, resource)


_add_kind(
    PASSENGER,
    PassengerCarIn,
    PassengerCarOut,
    PassengerCarNormIn,
    PassengerCarNormOut,
    {
        "car": {"number": "A003AA54", "brand": "Toyota", "model": "Camry"},
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
