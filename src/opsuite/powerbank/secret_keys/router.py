"""Routes of station secret keys: `/api/station-secret-keys` (service admin; the key is never answered)."""

from __future__ import annotations

from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Path, Query

from opsuite.core.fields import MAX_ID
from opsuite.powerbank.access import Caller, Permission
from opsuite.powerbank.deps import RuntimeDep, SessionDep, allowed_to
from opsuite.powerbank.envelope import mirrored, ok
from opsuite.powerbank.errors import error_responses
from opsuite.powerbank.secret_keys import service
from opsuite.powerbank.secret_keys.schemas import SecretKeyCreate
from opsuite.powerbank.stations.models import StationSecretKey
from opsuite.powerbank.timefmt import shown

router = APIRouter(prefix="/api/station-secret-keys", tags=["Ключи станций"])
ServiceAdmin = Annotated[Caller, Depends(allowed_to(Permission.SERVICE))]


def _row(row: StationSecretKey, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "id": row.id,
        "station_id": row.station_id,
        "key_hint": row.key_hint,
        "created_at": shown(row.created_at, zone),
    }


@router.post("", status_code=201, responses=error_responses(400, 401, 403, 404), summary="Ключ станции")
def save_key(
    body: SecretKeyCreate, session: SessionDep, caller: ServiceAdmin, runtime: RuntimeDep
) -> dict[str, Any]:
    row = service.save_key(
        session,
        caller=caller,
        station_id=body.station_id,
        key_value=body.key_value,
        cipher=runtime.cipher,
        now=runtime.clock.now(),
    )
    return mirrored(_row(row, runtime.zone), service.KEY_SAVED, "id", "station_id")


@router.get("", responses=error_responses(400, 401, 403), summary="Ключи станций (только подсказки)")
def list_keys(
    session: SessionDep,
    caller: ServiceAdmin,
    runtime: RuntimeDep,
    station_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> dict[str, Any]:
    rows = service.list_keys(session, caller=caller, station_id=station_id)
    return ok([_row(row, runtime.zone) for row in rows], count=len(rows))


@router.delete("", responses=error_responses(400, 401, 403, 404), summary="Удаление ключа станции")
def delete_station_key(
    session: SessionDep,
    caller: ServiceAdmin,
    runtime: RuntimeDep,
    station_id: Annotated[int, Query(ge=1, le=MAX_ID)],
) -> dict[str, Any]:
    service.delete_station_key(session, caller=caller, station_id=station_id, now=runtime.clock.now())
    return ok({"station_id": station_id}, service.KEY_DELETED)


@router.delete("/{key_id:int}", responses=error_responses(400, 401, 403, 404), summary="Удаление ключа")
def delete_key(
    key_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    session: SessionDep,
    caller: ServiceAdmin,
    runtime: RuntimeDep,
) -> dict[str, Any]:
    service.delete_key(session, caller=caller, key_id=key_id, now=runtime.clock.now())
    return ok({"id": key_id}, service.KEY_DELETED)
