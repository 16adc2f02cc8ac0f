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
from opsuite.waybills.viewsets import Actions, Examples, Resource, register

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


def _demo(value: str) -> dict[str, Any]:
    """A query parameter's example that Swagger fills in: a car, season or date of the demo data."""
    return {"demo": {"summary": value, "value": value}}


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
        car: Annotated[str | None, Query(openapi_examples=_demo("1"))] = None,
        season: Annotated[str | None, Query(openapi_examples=_demo("winter"))] = None,
        date: Annotated[str | None, Query(openapi_examples=_demo("2025-01-15"))] = None,
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
        car: Annotated[str | None, Query(openapi_examples=_demo("1"))] = None,
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
        "car": Examples(
            create={"number": "А003АА54", "brand": "Toyota", "model": "Camry"},
            item=2,
            replace={"number": "А002АА54", "brand": "Lada", "model": "Vesta"},
            change={"model": "Vesta"},
            created=3,
        ),
        "norm": Examples(
            create={
                "car": 2,
                "season": "summer",
                "city_norm": "0.085",
                "area_norm": "0.105",
                "date": "2025-06-01",
            },
            item=3,
            replace={
                "car": 2,
                "season": "summer",
                "city_norm": "0.090",
                "area_norm": "0.110",
                "date": "2025-01-01",
            },
            change={"city_norm": "0.090"},
            created=5,
        ),
        "state": Examples(
            create={"car": 2, "odometer": 100500, "fuel": "35.000", "date": "2025-02-01", "waybill": None},
            item=2,
            replace={"car": 2, "odometer": 100000, "fuel": "40.000", "date": "2025-01-01", "waybill": None},
            change={"fuel": "40.000"},
            created=4,
        ),
    },
)
_add_kind(
    FIRE_TRUCK,
    FireTruckIn,
    FireTruckOut,
    FireTruckNormIn,
    FireTruckNormOut,
    {
        "car": Examples(
            create={"number": "Х333РУ54", "brand": "КАМАЗ", "model": "43118", "type": "АЦ-3,2-40"},
            item=2,
            replace={"number": "Х222РУ54", "brand": "Урал", "model": "5557", "type": "АЦ-6,0-40"},
            change={"model": "5557"},
            created=3,
        ),
        "norm": Examples(
            create={
                "car": 2,
                "season": "summer",
                "with_pump_norm": "0.240",
                "without_pump_norm": "0.110",
                "km_norm": "0.170",
                "date": "2025-06-01",
            },
            item=3,
            replace={
                "car": 2,
                "season": "summer",
                "with_pump_norm": "0.250",
                "without_pump_norm": "0.120",
                "km_norm": "0.180",
                "date": "2025-01-01",
            },
            change={"km_norm": "0.180"},
            created=5,
        ),
        "state": Examples(
            create={"car": 2, "odometer": 50300, "fuel": "140.000", "date": "2025-02-01", "waybill": None},
            item=2,
            replace={"car": 2, "odometer": 50000, "fuel": "150.000", "date": "2025-01-01", "waybill": None},
            change={"fuel": "150.000"},
            created=4,
        ),
    },
)
