"""Reading orders (notes §2.4): a plain user sees own rows; an admin those taken from stations in scope."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from opsuite.powerbank import access
from opsuite.powerbank.access import Caller
from opsuite.powerbank.envelope import Page
from opsuite.powerbank.errors import NotFound
from opsuite.powerbank.orders.models import Order
from opsuite.powerbank.stations.models import Station
from opsuite.powerbank.vocab import ACTIVE_ORDER, OrderStatus

ORDER_NOT_FOUND = "Заказ не найден"
STATION_NOT_FOUND = "Станция не найдена"


def visible(session: Session, caller: Caller) -> Select[Any]:
    """Orders the caller may see: own rows for a user, rows taken at stations in scope for an admin."""
    query = select(Order).where(Order.deleted_at.is_(None))
    if not caller.is_admin:
        return query.where(Order.user_id == caller.user_id)
    scope = access.scope_of(session, caller)
    if scope.everything:
        return query
    return query.join(Station, Station.id == Order.station_id).where(Station.org_unit_id.in_(scope.units))


def list_orders(
    session: Session,
    *,
    caller: Caller,
    page: Page,
    user_id: int | None,
    station_id: int | None,
    status: OrderStatus | None,
) -> tuple[list[Order], int]:
    """A page of the orders the caller may see, newest first, and their total."""
    query = visible(session, caller)
    if user_id is not None:
        query = query.where(Order.user_id == user_id)
    if station_id is not None:
        query = query.where(Order.station_id == station_id)
    if status is not None:
        query = query.where(Order.status == status.value)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Order.id.desc()).offset(page.offset).limit(page.limit)).all()
    return [row for row in rows if isinstance(row, Order)], total


def get_order(session: Session, *, caller: Caller, order_id: int) -> Order:
    """One order the caller may see (404 otherwise, as if absent)."""
    order = session.scalar(visible(session, caller).where(Order.id == order_id))
    if not isinstance(order, Order):
        raise NotFound(ORDER_NOT_FOUND)
    return order


def active_at_station(session: Session, *, caller: Caller, station_id: int) -> list[Order]:
    """Active orders taken from a station, as the caller may see them (404 for an unknown station)."""
    if session.get(Station, station_id) is None:
        raise NotFound(STATION_NOT_FOUND)
    query = visible(session, caller).where(
        Order.station_id == station_id, Order.status.in_([str(s) for s in ACTIVE_ORDER])
    )
    return [row for row in session.scalars(query.order_by(Order.id)).all() if isinstance(row, Order)]
