"""What a user sees of a station before borrowing (notes §2.5): lendable banks, one slot, the summary."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from opsuite.powerbank.access import Caller
from opsuite.powerbank.borrow.optimal import candidates
from opsuite.powerbank.borrow.service import usable_station
from opsuite.powerbank.powerbanks.models import Powerbank
from opsuite.powerbank.stations.models import Station, StationPowerbank
from opsuite.powerbank.timefmt import shown

BANK_KEYS = ("powerbank_id", "serial_number", "powerbank_status", "level", "voltage", "temperature")


def available(session: Session, *, caller: Caller, station_id: int, zone: ZoneInfo) -> list[dict[str, Any]]:
    """The station's lendable banks, by slot."""
    usable_station(session, caller, station_id)
    return [
        {**found.row(), "last_update": shown(found.slot.updated_at, zone)}
        for found in candidates(session, station_id)
    ]


def slot_status(session: Session, *, caller: Caller, station_id: int, slot: int) -> dict[str, Any]:
    """`{slot_number, status: empty|occupied, powerbank_id, serial_number, powerbank_status, level, ...}`."""
    usable_station(session, caller, station_id)
    found = session.execute(
        select(StationPowerbank, Powerbank)
        .join(Powerbank, Powerbank.id == StationPowerbank.powerbank_id)
        .where(StationPowerbank.station_id == station_id, StationPowerbank.slot_number == slot)
    ).first()
    if found is None:
        empty = dict.fromkeys(
            ("powerbank_id", "serial_number", "powerbank_status", "level", "voltage", "temperature")
        )
        return {"slot_number": slot, "status": "empty", **empty}
    placed, bank = found
    return {
        "slot_number": slot,
        "status": "occupied",
        "powerbank_id": bank.id,
        "serial_number": bank.serial_number,
        "powerbank_status": bank.status,
        "level": placed.level,
        "voltage": placed.voltage,
        "temperature": placed.temperature,
    }


def summary(
    session: Session, *, caller: Caller, station_id: int, zone: ZoneInfo
) -> tuple[Station, dict[str, Any]]:
    """The station row of `info` (without `is_connected`, which the cabinet tells) and its slot counts."""
    station = usable_station(session, caller, station_id)
    occupied = len(
        session.scalars(select(StationPowerbank.id).where(StationPowerbank.station_id == station_id)).all()
    )
    row = {
        "station_id": station.id,
        "box_id": station.box_id,
        "org_unit_id": station.org_unit_id,
        "slots_declared": station.slots_declared,
        "remain_num": len(candidates(session, station_id)),
        "status": station.status,
        "last_seen": shown(station.last_seen_at, zone),
    }
    counts = {
        "total_slots": station.slots_declared,
        "occupied_slots": occupied,
        "available_slots": max(station.slots_declared - occupied, 0),
    }
    return station, {"station": row, "powerbanks": counts}
