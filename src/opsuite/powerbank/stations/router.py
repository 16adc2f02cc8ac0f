"""Routes of stations: `/api/stations` list, create, read, update, delete."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from opsuite.core.fields import MAX_ID
from opsuite.powerbank.deps import CallerDep, RuntimeDep, SessionDep
from opsuite.powerbank.envelope import PageDep, mirrored, ok, paginated
from opsuite.powerbank.errors import error_responses
from opsuite.powerbank.runtime import Runtime
from opsuite.powerbank.stations import service
from opsuite.powerbank.stations.present import is_online, station_row
from opsuite.powerbank.stations.schemas import StationCreate, StationUpdate
from opsuite.powerbank.vocab import StationStatus

router = APIRouter(prefix="/api/stations", tags=["Станции"])
StationIdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="Id станции")]


def _row(view: service.StationView, runtime: Runtime) -> dict[str, Any]:
    online = is_online(view.station, runtime.clock.now(), runtime.settings.offline_after_s)
    return station_row(
        view.station, unit_name=view.unit_name, remain_num=view.remain_num, online=online, zone=runtime.zone
    )


@router.get("", responses=error_responses(400, 401), summary="Список станций")
def list_stations(
    session: SessionDep,
    caller: CallerDep,
    runtime: RuntimeDep,
    page: PageDep,
    org_unit_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    status: Annotated[StationStatus | None, Query()] = None,
) -> dict[str, Any]:
    views, total = service.list_stations(
        session, caller=caller, page=page, org_unit_id=org_unit_id, status=status
    )
    return paginated([_row(view, runtime) for view in views], total, page)


@router.post("", status_code=201, responses=error_responses(400, 401, 403), summary="Создание станции")
def create_station(
    body: StationCreate, session: SessionDep, caller: CallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    view = service.create_station(session, caller=caller, new=body, now=runtime.clock.now())
    return mirrored(_row(view, runtime), service.STATION_CREATED, "station_id")


@router.get("/{station_id:int}", responses=error_responses(400, 401, 403, 404), summary="Станция по ID")
def get_station(
    station_id: StationIdPath, session: SessionDep, caller: CallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    return ok(_row(service.view_station(session, caller=caller, station_id=station_id), runtime))


@router.put("/{station_id:int}", responses=error_responses(400, 401, 403, 404), summary="Обновление станции")
def update_station(
    station_id: StationIdPath,
    body: StationUpdate,
    session: SessionDep,
    caller: CallerDep,
    runtime: RuntimeDep,
) -> dict[str, Any]:
    view = service.update_station(
        session, caller=caller, station_id=station_id, change=body, now=runtime.clock.now()
    )
    return ok(_row(view, runtime), service.STATION_UPDATED)


@router.delete("/{station_id:int}", responses=error_responses(400, 401, 403, 404), summary="Удаление станции")
def delete_station(
    station_id: StationIdPath, session: SessionDep, caller: CallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    service.delete_station(session, caller=caller, station_id=station_id, now=runtime.clock.now())
    return ok({"station_id": station_id}, service.STATION_DELETED)
