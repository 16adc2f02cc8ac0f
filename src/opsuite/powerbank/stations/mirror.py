"""Manual edits of the slot mirror (service admin, notes §2.11); the next cabinet inventory replaces them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from opsuite.powerbank import access
from opsuite.powerbank.access import Caller, Permission
from opsuite.powerbank.audit import service as audit
from opsuite.powerbank.errors import BadRequest, NotFound
from opsuite.powerbank.powerbanks.models import Powerbank
from opsuite.powerbank.stations.mirror_schemas import SlotEntry
from opsuite.powerbank.stations.models import StationPowerbank
from opsuite.powerbank.stations.service import get_station

ENTRY_NOT_FOUND = "Запись слота не найдена"
BANK_NOT_FOUND = "Повербанк не найден"
SLOT_OUT_OF_RANGE = "Номер слота вне диапазона станции"
SLOT_TAKEN = "Слот уже занят"
BANK_PLACED = "Повербанк уже находится в слоте"
ENTRY_CREATED = "Повербанк размещен в слоте"
ENTRY_DELETED = "Запись слота удалена"


def list_entries(
    session: Session, *, caller: Caller, station_id: int | None
) -> list[tuple[StationPowerbank, str]]:
    """Mirror rows with their bank serials, of one station when given."""
    access.require(caller, Permission.SERVICE)
    query = select(StationPowerbank, Powerbank.serial_number).join(
        Powerbank, Powerbank.id == StationPowerbank.powerbank_id
    )
    if station_id is not None:
        query = query.where(StationPowerbank.station_id == station_id)
    ordered = query.order_by(StationPowerbank.station_id, StationPowerbank.slot_number)
    return list(session.execute(ordered).tuples())


def add_entry(
    session: Session, *, caller: Caller, entry: SlotEntry, now: datetime
) -> tuple[StationPowerbank, str]:
    """Place a bank in a free slot; 400 out of range, slot taken, or the bank already in a slot."""
    access.require(caller, Permission.SERVICE)
    station = get_station(session, entry.station_id)
    bank = session.get(Powerbank, entry.powerbank_id)
    if bank is None:
        raise NotFound(BANK_NOT_FOUND)
    if entry.slot_number > station.slots_declared:
        raise BadRequest(SLOT_OUT_OF_RANGE)
    taken = select(StationPowerbank.id).where(
        StationPowerbank.station_id == station.id, StationPowerbank.slot_number == entry.slot_number
    )
    if session.scalar(taken) is not None:
        raise BadRequest(SLOT_TAKEN)
    if (
        session.scalar(select(StationPowerbank.id).where(StationPowerbank.powerbank_id == bank.id))
        is not None
    ):
        raise BadRequest(BANK_PLACED)
    row = StationPowerbank(
        station_id=station.id,
        slot_number=entry.slot_number,
        powerbank_id=bank.id,
        level=entry.level,
        voltage=entry.voltage,
        temperature=entry.temperature,
        lendable=True,
        quarantined=False,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    audit.record(
        session, actor_id=caller.user_id, action="place", entity="station_powerbank", entity_id=row.id, at=now
    )
    return row, bank.serial_number


def delete_entry(session: Session, *, caller: Caller, entry_id: int, now: datetime) -> None:
    """Remove a mirror row."""
    access.require(caller, Permission.SERVICE)
    row = session.get(StationPowerbank, entry_id)
    if row is None:
        raise NotFound(ENTRY_NOT_FOUND)
    session.delete(row)
    audit.record(
        session,
        actor_id=caller.user_id,
        action="remove",
        entity="station_powerbank",
        entity_id=entry_id,
        at=now,
    )
    session.flush()
