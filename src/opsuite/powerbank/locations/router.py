"""Routes of bank locations: `/api/powerbanks-status` (+ `/summary`, `/{id}`) and their aliases."""

from __future__ import annotations

from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Path, Query

from opsuite.core.fields import MAX_ID
from opsuite.powerbank.deps import CallerDep, RuntimeDep, SessionDep
from opsuite.powerbank.envelope import Page, ok, page_params, paginated
from opsuite.powerbank.errors import error_responses
from opsuite.powerbank.locations import service
from opsuite.powerbank.locations.service import Location, Whereabouts
from opsuite.powerbank.timefmt import shown

router = APIRouter(prefix="/api", tags=["Статусы повербанков"])
PageDep50 = Annotated[Page, Depends(page_params(50))]
BankIdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="Id повербанка")]
UnitQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]


def location_row(item: Whereabouts, zone: ZoneInfo) -> dict[str, Any]:
    """A row of `GET /api/powerbanks-status`."""
    order, user, station = item.order, item.user, item.station
    return {
        "powerbank_id": item.bank.id,
        "serial_number": item.bank.serial_number,
        "status": item.location.value,
        "station_id": station.id if station else None,
        "user_id": order.user_id if order else None,
        "borrow_time": shown(order.borrowed_at or order.timestamp, zone) if order else None,
        "completed_at": shown(order.completed_at, zone) if order else None,
        "station_name": station.box_id if station else None,
        "user_name": user.fio if user else None,
        "user_phone": user.phone_e164 if user else None,
        "user_email": user.email if user else None,
        "org_unit_name": item.unit_name,
    }


def _list(
    session: SessionDep,
    caller: CallerDep,
    runtime: RuntimeDep,
    page: PageDep50,
    status_filter: Annotated[Location | None, Query()] = None,
    status: Annotated[Location | None, Query()] = None,
    org_unit_id: UnitQuery = None,
) -> dict[str, Any]:
    found = service.list_locations(
        session,
        caller=caller,
        now=runtime.clock.now(),
        location=status_filter or status,
        org_unit_id=org_unit_id,
    )
    rows = [location_row(item, runtime.zone) for item in found[page.offset : page.offset + page.limit]]
    return paginated(rows, len(found), page)


def _summary(
    session: SessionDep, caller: CallerDep, runtime: RuntimeDep, org_unit_id: UnitQuery = None
) -> dict[str, Any]:
    return ok(service.summary(session, caller=caller, now=runtime.clock.now(), org_unit_id=org_unit_id))


def _one(
    powerbank_id: BankIdPath, session: SessionDep, caller: CallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    item = service.locate(session, caller=caller, now=runtime.clock.now(), bank_id=powerbank_id)
    return ok(location_row(item, runtime.zone))


ERRORS = error_responses(400, 401, 403)
for path in ("/powerbanks-status", "/powerbanks/status"):
    router.add_api_route(path, _list, methods=["GET"], responses=ERRORS, summary="Где находятся повербанки")
    router.add_api_route(
        f"{path}/summary", _summary, methods=["GET"], responses=ERRORS, summary="Сводка по местонахождению"
    )
for path in ("/powerbanks-status/{powerbank_id:int}", "/powerbanks/{powerbank_id:int}/status"):
    router.add_api_route(
        path,
        _one,
        methods=["GET"],
        responses=error_responses(400, 401, 403, 404),
        summary="Где находится повербанк",
    )
