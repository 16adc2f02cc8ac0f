"""Return windows and their confirmation (notes §3.6): the cabinet's `0x66` closes the order; these only
announce a return and tell when it happened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from opsuite.powerbank import access
from opsuite.powerbank.access import Caller
from opsuite.powerbank.borrow.service import ready_station
from opsuite.powerbank.errors import BadRequest
from opsuite.powerbank.orders.models import Order, ReturnWindow
from opsuite.powerbank.vocab import ACTIVE_ORDER, OrderStatus

STARTED = "Процесс возврата запущен. Вставьте повербанк в станцию в течение {seconds} секунд."
NO_ACTIVE_ORDER = "У вас нет активного заказа на этот повербанк"
NOT_CONFIRMED = "Не удалось подтвердить возврат в отведенное время"


@dataclass(frozen=True)
class Opened:
    """A return window just opened."""

    window: ReturnWindow
    serial: str | None


@dataclass(frozen=True)
class Confirmed:
    """The order a return closed."""

    powerbank_id: int
    slot_number: int | None


def open_window(
    session: Session,
    *,
    caller: Caller,
    user_id: int | None,
    station_id: int,
    powerbank_id: int,
    now: datetime,
    seconds: float,
) -> Opened:
    """Announce the return of the caller's (or, for an admin, a user's) rented bank at a station."""
    acting = access.acting_for(session, caller, user_id)
    station = ready_station(session, caller, station_id)
    order = session.scalar(
        select(Order).where(
            Order.user_id == acting.user_id,
            Order.powerbank_id == powerbank_id,
            Order.status.in_([str(s) for s in ACTIVE_ORDER]),
        )
    )
    if order is None:
        raise BadRequest(NO_ACTIVE_ORDER)
    window = ReturnWindow(
        user_id=acting.user_id,
        station_id=station.id,
        powerbank_id=powerbank_id,
        order_id=order.id,
        opened_at=now,
        expires_at=now + timedelta(seconds=seconds),
    )
    session.add(window)
    session.flush()
    return Opened(window, order.powerbank_serial)


def since(session: Session, *, user_id: int, station_id: int, asked_at: datetime, seconds: float) -> datetime:
    """From when a return counts: the latest window of this user at this station, else `seconds` ago."""
    window = session.scalar(
        select(ReturnWindow)
        .where(ReturnWindow.user_id == user_id, ReturnWindow.station_id == station_id)
        .order_by(ReturnWindow.opened_at.desc(), ReturnWindow.id.desc())
        .limit(1)
    )
    if window is not None and window.expires_at >= asked_at - timedelta(seconds=seconds):
        return window.opened_at
    return asked_at - timedelta(seconds=seconds)


def confirmed(
    session: Session, *, user_id: int, station_id: int, powerbank_id: int | None, opened_at: datetime
) -> Confirmed | None:
    """The user's order closed here since `opened_at` (that bank's, if given); never an older one."""
    query = select(Order).where(
        Order.user_id == user_id,
        Order.status == OrderStatus.RETURN.value,
        Order.return_station_id == station_id,
        Order.completed_at >= opened_at,
    )
    if powerbank_id is not None:
        query = query.where(Order.powerbank_id == powerbank_id)
    order = session.scalar(query.order_by(Order.completed_at.desc()).limit(1))
    return Confirmed(order.powerbank_id, order.return_slot_number) if order is not None else None


def latest_active_order(session: Session, *, user_id: int, order_id: int | None = None) -> Order:
    """The user's active order (that one, if named; else the newest); 400 when there is none."""
    query = select(Order).where(
        Order.user_id == user_id,
        Order.status.in_([str(s) for s in ACTIVE_ORDER]),
        Order.deleted_at.is_(None),
    )
    if order_id is not None:
        query = query.where(Order.id == order_id)
    order = session.scalar(query.order_by(Order.id.desc()).limit(1))
    if order is None:
        raise BadRequest(NO_ACTIVE_ORDER)
    return order


def open_for_order(
    session: Session, *, caller: Caller, order_id: int | None, station_id: int, now: datetime, seconds: float
) -> tuple[Order, Opened]:
    """A return window for one of the caller's active orders (the newest when `order_id` is None)."""
    order = latest_active_order(session, user_id=caller.user_id, order_id=order_id)
    opened = open_window(
        session,
        caller=caller,
        user_id=None,
        station_id=station_id,
        powerbank_id=order.powerbank_id,
        now=now,
        seconds=seconds,
    )
    return order, opened
