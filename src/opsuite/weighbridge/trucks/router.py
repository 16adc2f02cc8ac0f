"""Routes of the journal: the list, one visit, its correction and its deletion."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from opsuite.core.fields import MAX_ID
from opsuite.weighbridge.deps import CurrentUser, RuntimeDep, SessionDep
from opsuite.weighbridge.errors import error_responses
from opsuite.weighbridge.trucks import service
from opsuite.weighbridge.trucks.schemas import DeletedOut, TruckOut, TruckUpdate

router = APIRouter(prefix="/trucks", tags=["trucks"])

TruckId = Annotated[int, Path(ge=1, le=MAX_ID, description="ID записи")]


@router.get("", response_model=list[TruckOut], responses=error_responses(401), summary="Журнал взвешиваний")
def list_trucks(
    _user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    skip: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
    finished: bool | None = None,
) -> list[TruckOut]:
    """Новые сверху; удалённые не показываются. `finished`: true — завершённые, false — на территории."""
    return service.list_trucks(session, skip=skip, limit=limit, finished=finished, zone=runtime.zone)


@router.get("/{truck_id}", response_model=TruckOut, responses=error_responses(401, 404), summary="Запись")
def get_truck(truck_id: TruckId, _user: CurrentUser, session: SessionDep, runtime: RuntimeDep) -> TruckOut:
    return service.get_truck(session, truck_id, zone=runtime.zone)


@router.put(
    "/{truck_id}",
    response_model=TruckOut,
    responses=error_responses(400, 401, 404, 409),
    summary="Исправление записи",
)
def update_truck(
    truck_id: TruckId, body: TruckUpdate, _user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> TruckOut:
    return service.update_truck(session, truck_id, changes=body, zone=runtime.zone)


@router.delete(
    "/{truck_id}",
    response_model=DeletedOut,
    responses=error_responses(401, 403, 404),
    summary="Удаление записи",
)
def delete_truck(
    truck_id: TruckId, user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> DeletedOut:
    """Мягкое удаление; завершённую запись удаляет только администратор."""
    service.delete_truck(session, truck_id, by_superuser=user.is_superuser, now=runtime.clock.now())
    return DeletedOut()
