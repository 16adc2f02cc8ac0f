"""Borrow in the database (notes §3.2, §3.4): the checks and the `pending` order with its eject command in one
transaction, then the cabinet's answer settled into `borrow` or an audited `failed`.

The partial unique indexes refuse a second active order of a bank, a second `pending` order of a user and a
second eject in flight at a cabinet; the limit is counted after locking the user's row (PostgreSQL) or under
`BEGIN IMMEDIATE` (SQLite), so concurrent borrows can never issue more than the rules allow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from opsuite.powerbank import access
from opsuite.powerbank.access import Caller
from opsuite.powerbank.audit import service as audit
from opsuite.powerbank.borrow import messages as m
from opsuite.powerbank.commands.models import CabinetCommand
from opsuite.powerbank.errors import BadRequest, Forbidden, NotFound
from opsuite.powerbank.orders.models import Order
from opsuite.powerbank.org_units.models import OrgUnit
from opsuite.powerbank.powerbanks.models import Powerbank
from opsuite.powerbank.stations.models import Station, StationPowerbank
from opsuite.powerbank.users.models import User
from opsuite.powerbank.vocab import (
    ADMIN_ROLES,
    COUNTED_ORDER,
    CommandKind,
    CommandState,
    OrderStatus,
    PowerbankStatus,
    StationStatus,
)


@dataclass(frozen=True)
class Reservation:
    """A `pending` order and its eject command, committed before the cabinet is asked."""

    order_id: int
    command_id: int
    user_id: int
    box_id: str
    station_id: int
    slot: int
    powerbank_id: int
    serial: str
    selection: dict[str, object] | None = None
    """Why this bank, when the optimal one was asked for."""


@dataclass(frozen=True)
class EjectOutcome:
    """What the cabinet answered: result 1 issued the bank; anything else, or nothing, did not."""

    issued: bool
    result_code: int | None
    reason: str | None = None
    """Why it failed: `result_<n>`, `timeout`, `offline`."""


def effective_limit(session: Session, user: User, caller_role_unit: int | None) -> int:
    """The user's own limit, else the unit's default, else 0 (notes §3.2)."""
    if user.powerbank_limit is not None:
        return user.powerbank_limit
    if caller_role_unit is None:
        return 0
    unit = session.get(OrgUnit, caller_role_unit)
    return unit.default_powerbank_limit if unit is not None else 0


def _check_limit(session: Session, user_id: int) -> None:
    user = session.scalar(select(User).where(User.id == user_id).with_for_update())
    member = access.membership(session, user_id)
    if user is None or member is None:
        raise BadRequest(m.NO_GROUP)
    if member.role in ADMIN_ROLES:
        return  # admins are exempt
    limit = effective_limit(session, user, member.org_unit_id)
    if limit == 0 and user.powerbank_limit is None:
        raise BadRequest(m.NO_GROUP)
    active = session.scalar(
        select(func.count())
        .select_from(Order)
        .where(Order.user_id == user_id, Order.status.in_([str(s) for s in COUNTED_ORDER]))
    )
    if (active or 0) >= limit:
        raise BadRequest(m.LIMIT_REACHED.format(limit=limit))


def usable_station(session: Session, caller: Caller, station_id: int) -> Station:
    """A station the caller may use (404 unknown, 403 outside the caller's stations)."""
    station = session.get(Station, station_id)
    if station is None:
        raise NotFound(m.STATION_NOT_FOUND)
    if not access.may_use_station(session, caller, station.org_unit_id):
        raise Forbidden(access.FORBIDDEN)
    return station


def ready_station(session: Session, caller: Caller, station_id: int) -> Station:
    """A usable station whose admin status is `active` (400 otherwise)."""
    station = usable_station(session, caller, station_id)
    if station.status != StationStatus.ACTIVE:
        raise BadRequest(m.STATION_NOT_READY)
    return station


def slot_of_bank(session: Session, powerbank_id: int) -> StationPowerbank:
    """Where a bank sits now (400 when in no station)."""
    if session.get(Powerbank, powerbank_id) is None:
        raise NotFound(m.POWERBANK_NOT_FOUND)
    placed = session.scalar(select(StationPowerbank).where(StationPowerbank.powerbank_id == powerbank_id))
    if placed is None:
        raise BadRequest(m.NOT_IN_STATION)
    return placed


def reserve(
    session: Session,
    *,
    caller: Caller,
    user_id: int,
    station_id: int,
    slot: int,
    now: datetime,
    deadline: float,
) -> Reservation:
    """Check the rules and write the `pending` order and its eject command (400/403/404 otherwise)."""
    station = ready_station(session, caller, station_id)
    placed = session.scalar(
        select(StationPowerbank).where(
            StationPowerbank.station_id == station.id, StationPowerbank.slot_number == slot
        )
    )
    if placed is None:
        raise BadRequest(m.SLOT_EMPTY.format(slot=slot))
    bank = session.get(Powerbank, placed.powerbank_id)
    if bank is None or bank.status != PowerbankStatus.ACTIVE or not placed.lendable or placed.quarantined:
        raise BadRequest(m.NOT_LENDABLE)
    if not access.bank_fits_station(session, bank.org_unit_id, station.org_unit_id):
        raise BadRequest(m.NOT_LENDABLE)
    _check_limit(session, user_id)
    user = session.get(User, user_id)
    order = Order(
        user_id=user_id,
        powerbank_id=bank.id,
        station_id=station.id,
        slot_number=slot,
        status=OrderStatus.PENDING.value,
        created_by=caller.user_id if caller.user_id != user_id else None,
        user_phone=user.phone_e164 if user is not None else None,
        user_fio=user.fio if user is not None else None,
        powerbank_serial=bank.serial_number,
        station_box_id=station.box_id,
        timestamp=now,
    )
    try:
        with session.begin_nested():
            session.add(order)
            session.flush()
            command = CabinetCommand(
                station_id=station.id,
                kind=CommandKind.EJECT.value,
                slot_number=slot,
                request={"slot": slot},
                state=CommandState.SENT.value,
                order_id=order.id,
                requested_by=caller.user_id,
                created_at=now,
                sent_at=now,
                deadline=now + timedelta(seconds=deadline),
            )
            session.add(command)
            session.flush()
    except IntegrityError:
        raise BadRequest(_refusal(session, bank.id)) from None
    return Reservation(
        order.id, command.id, user_id, station.box_id, station.id, slot, bank.id, bank.serial_number
    )


def _refusal(session: Session, powerbank_id: int) -> str:
    rented = select(Order.id).where(
        Order.powerbank_id == powerbank_id,
        Order.status.in_([OrderStatus.BORROW.value, OrderStatus.FORCE_EJECT.value]),
    )
    return m.ALREADY_RENTED if session.scalar(rented) is not None else m.BUSY


def settle(session: Session, reservation: Reservation, outcome: EjectOutcome, *, now: datetime) -> Order:
    """Write the cabinet's answer: `borrow` and the slot emptied, or `failed` with its reason, audited."""
    order = session.scalar(select(Order).where(Order.id == reservation.order_id).with_for_update())
    command = session.get(CabinetCommand, reservation.command_id)
    assert order is not None
    assert command is not None
    command.result_code, command.finished_at = outcome.result_code, now
    if order.status != OrderStatus.PENDING:
        command.state = CommandState.DONE.value
        return order  # an inventory settled it first
    if outcome.issued:
        command.state = CommandState.DONE.value
        order.status, order.borrowed_at = OrderStatus.BORROW.value, now
        placed = session.scalar(
            select(StationPowerbank).where(StationPowerbank.powerbank_id == reservation.powerbank_id)
        )
        if placed is not None:
            session.delete(placed)
        return order
    command.state = (CommandState.TIMEOUT if outcome.reason == "timeout" else CommandState.FAILED).value
    order.status, order.completed_at, order.failure_reason = OrderStatus.FAILED.value, now, outcome.reason
    audit.record(
        session,
        actor_id=reservation.user_id,
        action="borrow_failed",
        entity="order",
        entity_id=order.id,
        at=now,
        details={"station": reservation.box_id, "slot": reservation.slot, "reason": outcome.reason},
    )
    return order
