"""Routes of the slot mirror: `/api/station-powerbanks` (service admin)."""

from __future__ import annotations

from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Path, Query

from opsuite.core.fields import MAX_ID
from opsuite.powerbank.access import Caller, Permission
from opsuite.powerbank.deps import RuntimeDep, SessionDep, allowed_to
from opsuite.powerbank.envelope import mirrored, ok
from opsuite.powerbank.errors import error_responses
from opsuite.powerbank.stations import mirror
from opsuite.powerbank.stations.mirror_schemas import SlotEntry
from opsuite.powerbank.stations.models import StationPowerbank
from opsuite.powerbank.timefmt import shown

router = APIRouter(prefix="/api/station-powerbanks", tags=["Слоты станций"])
ServiceAdmin = Annotated[Caller, Depends(allowed_to(Permission.SERVICE))]
ERRORS = error_responses(400, 401, 403, 404)


def entry_row(row: StationPowerbank, serial: str, zone: ZoneInfo) -> dict[str, Any]:
    """A mirror row (`id` and `sp_id` both)."""
    return {
        "id": row.id,
        "sp_id": row.id,
        "station_id": row.station_id,
        "slot_number": row.slot_number,
        "powerbank_id": row.powerbank_id,
        "serial_number": serial,
        "level": row.level,
        "voltage": row.voltage,
        "current": row.current,
        "temperature": row.temperature,
        "soh": row.soh,
        "lendable": row.lendable,
        "quarantined": row.quarantined,
        "updated_at": shown(row.updated_at, zone),
    }


@router.get("", responses=error_responses(400, 401, 403), summary="Повербанки в слотах")
def list_entries(
    session: SessionDep,
    caller: ServiceAdmin,
    runtime: RuntimeDep,
    station_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> dict[str, Any]:
    rows = [
        entry_row(row, serial, runtime.zone)
        for row, serial in mirror.list_entries(session, caller=caller, station_id=station_id)
    ]
    return ok(rows, count=len(rows))


@router.post("", status_code=201, responses=ERRORS, summary="Размещение повербанка в слоте")
def add_entry(
    body: SlotEntry, session: SessionDep, caller: ServiceAdmin, runtime: RuntimeDep
) -> dict[str, Any]:
    row, serial = mirror.add_entry(session, caller=caller, entry=body, now=runtime.clock.now())
    return mirrored(entry_row(row, serial, runtime.zone), mirror.ENTRY_CREATED, "id", "sp_id")


@router.delete("/{sp_id:int}", responses=ERRORS, summary="Удаление записи слота")
def delete_entry(
    sp_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    session: SessionDep,
    caller: ServiceAdmin,
    runtime: RuntimeDep,
) -> dict[str, Any]:
    mirror.delete_entry(session, caller=caller, entry_id=sp_id, now=runtime.clock.now())
    return ok({"sp_id": sp_id}, mirror.ENTRY_DELETED)
