"""What the cabinets report, written to the database: one transaction per event (notes §4.6).

The functions take the session they work in; `DatabaseCabinetEvents` is the gateway's `CabinetEvents`
over them, each event in a transaction of its own, run in a worker thread so the gateway's loop never
waits on the database.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.core.db import Database
from opsuite.powerbank.cabinets import slots
from opsuite.powerbank.commands.models import CabinetCommand, CabinetEvent
from opsuite.powerbank.devices import protocol as p
from opsuite.powerbank.devices.cabinet_state import NO_BANK
from opsuite.powerbank.devices.interface import (
    InventoryReport,
    LoginReport,
    ReturnVerdict,
    SlotRecord,
    StationId,
)
from opsuite.powerbank.orders.models import Order
from opsuite.powerbank.powerbanks.models import Powerbank, PowerbankErrorReport
from opsuite.powerbank.reports.models import SlotAbnormalReport
from opsuite.powerbank.stations.models import Station
from opsuite.powerbank.vocab import ACTIVE_ORDER, OPEN_COMMAND, AbnormalEvent, OrderStatus, PowerbankStatus

log = logging.getLogger(__name__)
T = TypeVar("T")

INVENTORY_MARGIN = timedelta(seconds=5)
"""An inventory is taken as requested up to one command deadline before it arrived: a rental closes from
an inventory only if it began before that."""


class UnknownStation(Exception):
    """An event from a box id no station has (the gateway admits only known stations, so a race)."""


@dataclass(frozen=True)
class OrderClosed:
    """A rental the cabinets ended: what waits for a return confirmation wants to hear it."""

    order_id: int
    user_id: int
    powerbank_id: int
    station_id: int
    """Where the bank came back."""
    completed_at: datetime


def _station(session: Session, box_id: StationId) -> Station:
    station = session.scalar(select(Station).where(Station.box_id == box_id))
    if station is None:
        raise UnknownStation(f"no station has box id {box_id!r}")
    return station


def _journal(session: Session, station: Station, cmd: int, raw: str, outcome: str, *, now: datetime) -> None:
    """Append the event to the station's journal (`cabinet_event`)."""
    session.add(
        CabinetEvent(
            station_id=station.id,
            box_id=station.box_id,
            cmd=cmd,
            raw_hex=raw,
            received_at=now,
            outcome=outcome,
        )
    )


def _open_command(session: Session, order: Order) -> bool:
    command = select(CabinetCommand.id).where(
        CabinetCommand.order_id == order.id, CabinetCommand.state.in_([str(s) for s in OPEN_COMMAND])
    )
    return session.scalar(command.limit(1)) is not None


def _close(order: Order, station: Station, slot: int, *, source: str, now: datetime) -> OrderClosed:
    order.status = OrderStatus.RETURN.value
    order.completed_at = now
    order.return_station_id, order.return_slot_number, order.return_source = station.id, slot, source
    return OrderClosed(order.id, order.user_id, order.powerbank_id, station.id, now)


def _settle_and_close(
    session: Session,
    station: Station,
    placed: Mapping[int, tuple[SlotRecord, Powerbank]],
    *,
    listed_since: datetime,
    now: datetime,
) -> list[OrderClosed]:
    """After a login or an inventory: settle this station's unanswered ejects, close rentals seen back."""
    pending = session.scalars(
        select(Order)
        .where(Order.station_id == station.id, Order.status == OrderStatus.PENDING.value)
        .with_for_update()
    ).all()
    for order in pending:
        if _open_command(session, order):
            continue  # its eject is still waiting for the cabinet's answer
        record, bank = placed.get(order.slot_number or 0, (None, None))
        if record is not None and bank is not None and bank.id == order.powerbank_id and record.latched:
            order.status, order.completed_at = OrderStatus.FAILED.value, now
            order.failure_reason = "cabinet_kept_bank"
        else:
            order.status, order.borrowed_at = OrderStatus.BORROW.value, now
    closed: list[OrderClosed] = []
    banks = {bank.id: slot for slot, (_, bank) in placed.items()}
    if banks:
        rentals = session.scalars(
            select(Order)
            .where(
                Order.powerbank_id.in_(list(banks)),
                Order.status == OrderStatus.BORROW.value,
                Order.borrowed_at < listed_since,
            )
            .with_for_update()
        ).all()
        closed = [
            _close(order, station, banks[order.powerbank_id], source="inventory", now=now)
            for order in rentals
        ]
    return closed


def record_login(session: Session, report: LoginReport, *, now: datetime) -> list[OrderClosed]:
    """A cabinet logged in: its connection facts, its slots as reported, its unanswered ejects settled."""
    station = _station(session, report.station_id)
    station.connected_at = station.last_seen_at = report.logged_in_at
    station.disconnected_at = None
    station.peer, station.uptime_ms = report.peer, report.uptime_ms
    placed = slots.replace_all(session, station, report.records, now=now)
    return _settle_and_close(
        session, station, placed, listed_since=report.logged_in_at - INVENTORY_MARGIN, now=now
    )


def record_inventory(session: Session, report: InventoryReport, *, now: datetime) -> list[OrderClosed]:
    """A cabinet listed its slots: the mirror replaced, unknown banks created, rentals seen back closed."""
    station = _station(session, report.station_id)
    station.last_seen_at = report.received_at
    placed = slots.replace_all(session, station, report.records, now=now)
    return _settle_and_close(
        session, station, placed, listed_since=report.received_at - INVENTORY_MARGIN, now=now
    )


def record_return(
    session: Session, box_id: StationId, record: SlotRecord, *, now: datetime
) -> tuple[ReturnVerdict, OrderClosed | None]:
    """A bank was pushed into a slot: its active order closed (any user, any station), the bank placed."""
    station = _station(session, box_id)
    raw = p.Return(record).payload().hex()
    if record.powerbank_id == NO_BANK:
        _journal(session, station, p.CMD_RETURN, raw, "invalid_id", now=now)
        return ReturnVerdict.INVALID_ID, None
    bank = slots.bank_of(session, record.powerbank_id, station, now=now)
    # Locked (PostgreSQL), so a borrow settling this order at the same moment waits and sees it closed.
    order = session.scalar(
        select(Order)
        .where(Order.powerbank_id == bank.id, Order.status.in_([str(s) for s in ACTIVE_ORDER]))
        .with_for_update()
    )
    closed = _close(order, station, record.slot, source="cabinet", now=now) if order is not None else None
    reports = session.scalars(
        select(PowerbankErrorReport).where(
            PowerbankErrorReport.powerbank_id == bank.id, PowerbankErrorReport.resolved_at.is_(None)
        )
    ).all()
    for report in reports:
        report.resolved_at = now
        bank.status = PowerbankStatus.SYSTEM_ERROR.value
    bank.missing = False
    slots.place(session, station, record, bank, now=now)
    station.last_seen_at = now
    outcome = f"closed order {closed.order_id}" if closed is not None else "no active order"
    _journal(session, station, p.CMD_RETURN, raw, outcome, now=now)
    return ReturnVerdict.ACCEPTED, closed


def record_slot_abnormal(
    session: Session, box_id: StationId, slot: int, event: int, terminal_id: str, *, now: datetime
) -> None:
    """A slot misbehaved: a report; a bank that left without an unlock while no order held it is missing."""
    station = _station(session, box_id)
    raw = p.SlotAbnormal(event, slot, terminal_id).payload().hex()
    kinds = {int(kind): kind for kind in AbnormalEvent}
    if event not in kinds:
        _journal(session, station, p.CMD_SLOT_ABNORMAL, raw, f"unknown event {event}", now=now)
        return
    session.add(
        SlotAbnormalReport(
            station_id=station.id,
            slot_number=slot,
            terminal_id=terminal_id,
            event_type=kinds[event].value,
            reported_at=now,
            created_at=now,
        )
    )
    outcome = "reported"
    if kinds[event] is AbnormalEvent.LEFT_WITHOUT_UNLOCK:
        slots.empty(session, station, slot)
        bank = session.scalar(select(Powerbank).where(Powerbank.serial_number == terminal_id))
        if bank is not None and terminal_id != NO_BANK:
            active = select(Order.id).where(
                Order.powerbank_id == bank.id, Order.status.in_([str(s) for s in ACTIVE_ORDER])
            )
            if session.scalar(active.limit(1)) is None:
                bank.missing, outcome = True, "bank missing"
    station.last_seen_at = now
    _journal(session, station, p.CMD_SLOT_ABNORMAL, raw, outcome, now=now)


def lacks_iccid(session: Session, box_id: StationId) -> bool:
    """Whether the station's SIM card number is still unknown (asked after a login)."""
    return not _station(session, box_id).iccid


def record_iccid(session: Session, box_id: StationId, iccid: str, *, now: datetime) -> None:
    """The SIM card number the cabinet answered."""
    station = _station(session, box_id)
    station.iccid, station.iccid_updated_at = iccid, now


def record_offline(session: Session, box_id: StationId, *, now: datetime) -> None:
    """A cabinet's connection ended (its admin status is not touched)."""
    station = _station(session, box_id)
    station.disconnected_at = now


def record_last_seen(session: Session, seen: Mapping[StationId, datetime]) -> None:
    """When each connected cabinet was last heard (heartbeats included), in one statement per station."""
    for box_id, moment in seen.items():
        session.execute(update(Station).where(Station.box_id == box_id).values(last_seen_at=moment))


class DatabaseCabinetEvents:
    """Implements CabinetEvents on the database; `closed` hears of each rental ended, after the commit."""

    def __init__(
        self,
        database: Database,
        *,
        clock: Clock = SYSTEM_CLOCK,
        closed: Callable[[OrderClosed], None] | None = None,
        lacking_iccid: Callable[[StationId], None] | None = None,
    ) -> None:
        self.database = database
        self.clock = clock
        self.closed = closed
        self.lacking_iccid = lacking_iccid
        """Told, after a login's commit, of a station whose ICCID is unknown (the gateway asks for it)."""

    async def on_login(self, report: LoginReport) -> None:
        """Record a login."""

        def work(session: Session) -> tuple[list[OrderClosed], bool]:
            closed = record_login(session, report, now=self.clock.now())
            return closed, lacks_iccid(session, report.station_id)

        closed, lacking = await self._in_transaction(work)
        self._tell(closed)
        if lacking and self.lacking_iccid is not None:
            self.lacking_iccid(report.station_id)

    async def on_inventory(self, report: InventoryReport) -> None:
        """Record an inventory."""
        self._tell(await self._in_transaction(lambda s: record_inventory(s, report, now=self.clock.now())))

    async def on_return(self, station_id: StationId, slot: int, powerbank_id: str, record: SlotRecord) -> int:
        """Record a return; the verdict is sent to the cabinet only after the commit."""
        verdict, closed = await self._in_transaction(
            lambda s: record_return(s, station_id, record, now=self.clock.now())
        )
        self._tell([closed] if closed is not None else [])
        return int(verdict)

    async def on_slot_abnormal(self, station_id: StationId, slot: int, event: int, terminal_id: str) -> None:
        """Record a slot abnormal report."""
        await self._in_transaction(
            lambda s: record_slot_abnormal(s, station_id, slot, event, terminal_id, now=self.clock.now())
        )

    async def on_offline(self, station_id: StationId, reason: str) -> None:
        """Record that the cabinet's connection ended."""
        await self._in_transaction(lambda s: record_offline(s, station_id, now=self.clock.now()))

    async def _in_transaction(self, work: Callable[[Session], T]) -> T:
        def run() -> T:
            with self.database.session() as session:
                return work(session)

        return await asyncio.to_thread(run)

    def _tell(self, closed: list[OrderClosed]) -> None:
        if self.closed is None:
            return
        for order in closed:
            try:
                self.closed(order)
            except Exception:
                log.exception("a listener for closed order %d failed", order.order_id)
