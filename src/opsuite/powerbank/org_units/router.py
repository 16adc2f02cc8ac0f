"""Routes of org units: `/api/org-units` list, create, read, update, delete."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from opsuite.core.fields import MAX_ID
from opsuite.powerbank.deps import CallerDep, RuntimeDep, SessionDep
from opsuite.powerbank.envelope import PageDep, mirrored, ok, paginated
from opsuite.powerbank.errors import error_responses
from opsuite.powerbank.fields import UnitIdPath
from opsuite.powerbank.org_units import service
from opsuite.powerbank.org_units.present import unit_row
from opsuite.powerbank.org_units.schemas import OrgUnitCreate, OrgUnitUpdate
from opsuite.powerbank.vocab import UnitType

router = APIRouter(prefix="/api/org-units", tags=["Управление группами"])


@router.get("", responses=error_responses(400, 401), summary="Список организационных единиц")
def list_units(
    session: SessionDep,
    caller: CallerDep,
    runtime: RuntimeDep,
    page: PageDep,
    unit_type: Annotated[UnitType | None, Query()] = None,
    parent_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> dict[str, Any]:
    rows, total = service.list_units(
        session, caller=caller, page=page, unit_type=unit_type, parent_id=parent_id
    )
    return paginated([unit_row(unit, parent, runtime.zone) for unit, parent in rows], total, page)


@router.post(
    "", status_code=201, responses=error_responses(400, 401, 403), summary="Создание организационной единицы"
)
def create_unit(
    body: OrgUnitCreate, session: SessionDep, caller: CallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    unit = service.create_unit(session, caller=caller, new=body, now=runtime.clock.now())
    parent = service.get_unit(session, unit.parent_id).name if unit.parent_id is not None else None
    return mirrored(unit_row(unit, parent, runtime.zone), service.UNIT_CREATED, "org_unit_id")


@router.get(
    "/{org_unit_id:int}",
    responses=error_responses(400, 401, 403, 404),
    summary="Организационная единица по ID",
)
def get_unit(
    org_unit_id: UnitIdPath, session: SessionDep, caller: CallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    unit, parent = service.view_unit(session, caller=caller, unit_id=org_unit_id)
    return ok(unit_row(unit, parent, runtime.zone))


@router.put(
    "/{org_unit_id:int}",
    responses=error_responses(400, 401, 403, 404),
    summary="Обновление организационной единицы",
)
def update_unit(
    org_unit_id: UnitIdPath, body: OrgUnitUpdate, session: SessionDep, caller: CallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    service.update_unit(session, caller=caller, unit_id=org_unit_id, change=body, now=runtime.clock.now())
    unit, parent = service.view_unit(session, caller=caller, unit_id=org_unit_id)
    return ok(unit_row(unit, parent, runtime.zone), service.UNIT_UPDATED)


@router.delete(
    "/{org_unit_id:int}",
    responses=error_responses(400, 401, 403, 404),
    summary="Удаление организационной единицы",
)
def delete_unit(
    org_unit_id: UnitIdPath, session: SessionDep, caller: CallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    service.delete_unit(session, caller=caller, unit_id=org_unit_id, now=runtime.clock.now())
    return ok({"org_unit_id": org_unit_id}, service.UNIT_DELETED)
