"""A visit as a report row: its two weighings, tare, gross and net (notes §3.1), product, operator, times."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, selectinload

from opsuite.weighbridge.errors import BadRequest
from opsuite.weighbridge.timefmt import day_range
from opsuite.weighbridge.trucks.models import ENTRANCE, EXIT, Truck

BATCH = 500


@dataclass(frozen=True)
class VisitRow:
    """One visit with a weighing; tare, gross and net only once both passes are in."""

    truck_number: str
    product_id: int | None
    entrance: float | None
    exit: float | None
    entrance_at: datetime | None
    exit_at: datetime | None
    operator_id: int | None
    """Who weighed last."""

    @property
    def tare(self) -> float | None:
        """The lighter pass."""
        return None if self.entrance is None or self.exit is None else min(self.entrance, self.exit)

    @property
    def gross(self) -> float | None:
        """The heavier pass."""
        return None if self.entrance is None or self.exit is None else max(self.entrance, self.exit)

    @property
    def net(self) -> float | None:
        """Gross less tare."""
        return None if self.entrance is None or self.exit is None else abs(self.entrance - self.exit)


def period(date_from: date, date_to: date) -> None:
    """400 when the period runs backwards."""
    if date_to < date_from:
        raise BadRequest("date_to раньше date_from")


def in_period(date_from: date, date_to: date, zone: ZoneInfo) -> list[ColumnElement[bool]]:
    """Visits created in the period (days in the site's zone, both inclusive) and not deleted."""
    period(date_from, date_to)
    start, end = day_range(date_from, date_to, zone)
    return [Truck.deleted_at.is_(None), Truck.created_at >= start, Truck.created_at < end]


def visit_rows(session: Session, date_from: date, date_to: date, zone: ZoneInfo) -> Iterator[VisitRow]:
    """Every visit of the period with at least one weighing, read from the database in batches."""
    query = (
        select(Truck)
        .where(*in_period(date_from, date_to, zone))
        .order_by(Truck.created_at, Truck.id)
        .options(selectinload(Truck.actions))
    )
    for truck in session.scalars(query.execution_options(yield_per=BATCH)):
        by_type = {action.action_type: action for action in truck.actions}
        if not by_type:
            continue
        entrance, exit_ = by_type.get(ENTRANCE), by_type.get(EXIT)
        last = exit_ or entrance
        yield VisitRow(
            truck_number=truck.truck_number,
            product_id=truck.product_id or (last.product_id if last else None),
            entrance=entrance.weight if entrance else None,
            exit=exit_.weight if exit_ else None,
            entrance_at=entrance.created_at if entrance else None,
            exit_at=exit_.created_at if exit_ else None,
            operator_id=last.operator_id if last else None,
        )
