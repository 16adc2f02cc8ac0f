"""A user's error report on a rented bank (notes §2.6, §3.8): kept, applied when the bank comes back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from opsuite.powerbank import access
from opsuite.powerbank.access import Caller
from opsuite.powerbank.errors import BadRequest, NotFound
from opsuite.powerbank.orders.models import Order
from opsuite.powerbank.powerbanks.models import Powerbank, PowerbankErrorReport
from opsuite.powerbank.returns.service import Opened, open_for_order
from opsuite.powerbank.vocab import ACTIVE_ORDER, ErrorType

REPORTED = "Отчет об ошибке создан успешно"
ORDER_NOT_FOUND = "Заказ не найден"
NOT_ACTIVE = "Заказ не активен или не относится к этому повербанку"


def report_error(
    session: Session,
    *,
    caller: Caller,
    user_id: int | None,
    order_id: int,
    powerbank_id: int,
    station_id: int | None,
    error_type: ErrorType,
    notes: str | None,
    now: datetime,
) -> tuple[PowerbankErrorReport, Powerbank]:
    """Store the report on the caller's (or, for an admin, a user's) active order of that bank."""
    acting = access.acting_for(session, caller, user_id)
    order = session.get(Order, order_id)
    if order is None or order.deleted_at is not None or order.user_id != acting.user_id:
        raise NotFound(ORDER_NOT_FOUND)
    if order.powerbank_id != powerbank_id or order.status not in ACTIVE_ORDER:
        raise BadRequest(NOT_ACTIVE)
    bank = session.get(Powerbank, powerbank_id)
    assert bank is not None  # the order's foreign key
    report = PowerbankErrorReport(
        order_id=order.id,
        powerbank_id=bank.id,
        station_id=station_id if station_id is not None else order.station_id,
        user_id=acting.user_id,
        error_type=error_type.value,
        additional_notes=notes,
        created_at=now,
    )
    session.add(report)
    session.flush()
    return report, bank


def report_damage(
    session: Session,
    *,
    caller: Caller,
    station_id: int,
    description: str | None,
    now: datetime,
    seconds: float,
) -> tuple[Order, Opened]:
    """`return-damage`: a report (`other`) on the caller's newest active order and a return window for it."""
    order, opened = open_for_order(
        session, caller=caller, order_id=None, station_id=station_id, now=now, seconds=seconds
    )
    report_error(
        session,
        caller=caller,
        user_id=None,
        order_id=order.id,
        powerbank_id=order.powerbank_id,
        station_id=station_id,
        error_type=ErrorType.OTHER,
        notes=description,
        now=now,
    )
    return order, opened
