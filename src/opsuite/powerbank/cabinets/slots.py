"""The slot mirror: which bank sits in which slot of which station, as the cabinets last said."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.orm import Session

from opsuite.powerbank.devices.cabinet_state import NO_BANK
from opsuite.powerbank.devices.interface import SlotRecord
from opsuite.powerbank.org_units.models import OrgUnit
from opsuite.powerbank.powerbanks.models import Powerbank
from opsuite.powerbank.stations.models import Station, StationPowerbank
from opsuite.powerbank.vocab import PowerbankStatus


def bank_of(session: Session, serial: str, station: Station, *, now: datetime) -> Powerbank:
    """The bank with this serial; one the database lacks is created `unknown` in the station's unit."""
    bank = session.scalar(select(Powerbank).where(Powerbank.serial_number == serial))
    if bank is None:
        bank = Powerbank(
            serial_number=serial,
            org_unit_id=station.org_unit_id,
            status=PowerbankStatus.UNKNOWN.value,
            created_at=now,
        )
        session.add(bank)
        session.flush()
    return bank


def _group(session: Session, unit_id: int | None) -> int | None:
    unit = session.get(OrgUnit, unit_id) if unit_id is not None else None
    if unit is None:
        return None
    return unit.parent_id if unit.parent_id is not None else unit.id


def compatible(session: Session, bank: Powerbank, station: Station) -> bool:
    """A bank may be lent at a station of its own group (either unit unset counts as compatible)."""
    bank_group, station_group = _group(session, bank.org_unit_id), _group(session, station.org_unit_id)
    return bank_group is None or station_group is None or bank_group == station_group


def place(session: Session, station: Station, record: SlotRecord, bank: Powerbank, *, now: datetime) -> None:
    """Put `bank` in the record's slot, displacing a stale row of that slot or of the bank elsewhere."""
    quarantined = not compatible(session, bank, station)
    row = session.scalar(
        select(StationPowerbank).where(
            StationPowerbank.station_id == station.id, StationPowerbank.slot_number == record.slot
        )
    )
    if row is None or row.powerbank_id != bank.id:
        session.execute(
            delete(StationPowerbank).where(
                or_(
                    StationPowerbank.powerbank_id == bank.id,
                    and_(
                        StationPowerbank.station_id == station.id, StationPowerbank.slot_number == record.slot
                    ),
                )
            )
        )
        row = StationPowerbank(station_id=station.id, slot_number=record.slot, powerbank_id=bank.id)
        session.add(row)
    row.level, row.voltage, row.current = record.level, record.voltage_mv, record.current_ma
    row.temperature, row.status_bits, row.soh = record.temperature_c, record.status, record.soh
    row.lendable, row.quarantined, row.updated_at = record.latched, quarantined, now
    bank.soh = record.soh
    session.flush()


def replace_all(
    session: Session, station: Station, records: Iterable[SlotRecord], *, now: datetime
) -> dict[int, tuple[SlotRecord, Powerbank]]:
    """Make the station's mirror exactly the records (a login or an inventory); slot -> (record, bank)."""
    listed = {record.slot: record for record in records if record.powerbank_id != NO_BANK}
    session.execute(
        delete(StationPowerbank).where(
            StationPowerbank.station_id == station.id, StationPowerbank.slot_number.not_in(list(listed))
        )
    )
    placed: dict[int, tuple[SlotRecord, Powerbank]] = {}
    for slot, record in sorted(listed.items()):
        bank = bank_of(session, record.powerbank_id, station, now=now)
        place(session, station, record, bank, now=now)
        placed[slot] = (record, bank)
    station.inventory_updated_at = now
    return placed


def empty(session: Session, station: Station, slot: int) -> None:
    """Forget what the mirror had in `slot`."""
    in_slot = and_(StationPowerbank.station_id == station.id, StationPowerbank.slot_number == slot)
    session.execute(delete(StationPowerbank).where(in_slot))
