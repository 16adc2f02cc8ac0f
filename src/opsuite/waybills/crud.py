"""Row helpers every domain uses: live lookups, soft delete, live uniqueness, foreign keys."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from opsuite.core.clock import utcnow
from opsuite.waybills import messages
from opsuite.waybills.errors import FieldErrors, NotFound

T = TypeVar("T")


def get_live(session: Session, model: type[T], row_id: int) -> T:
    """The live row with `row_id`, or NotFound."""
    row = session.get(model, row_id)
    if row is None or row.deleted_at is not None:  # type: ignore[attr-defined]
        raise NotFound()
    return row


def list_live(session: Session, model: Any, **equal: int | None) -> list[Any]:
    """Live rows of `model` by id whose columns equal the values given (a None value filters nothing)."""
    query = select(model).where(model.deleted_at.is_(None)).order_by(model.id)
    for column, value in equal.items():
        if value is not None:
            query = query.where(getattr(model, column) == value)
    return list(session.scalars(query))


def live_reference(session: Session, model: type[T], row_id: int, field: str) -> T:
    """The live row a foreign key points at, or FieldErrors naming the field."""
    row = session.get(model, row_id)
    if row is None or row.deleted_at is not None:  # type: ignore[attr-defined]
        raise FieldErrors({field: [messages.INVALID_PK.format(pk=row_id)]})
    return row


def take_reference(session: Session, values: dict[str, Any], model: Any, field: str) -> None:
    """Check the live row `values[field]` points at (if any); store its id under the column `<field>_id`."""
    if field not in values:
        return
    row_id = values.pop(field)
    if row_id is not None:
        live_reference(session, model, row_id, field)
    values[f"{field}_id"] = row_id


def soft_delete(row: Any) -> None:
    """Mark a row deleted."""
    row.deleted_at = utcnow()


def check_unique(
    session: Session,
    model: Any,
    values: dict[str, Any],
    exclude_id: int | None,
    field_names: dict[str, str] | None = None,
) -> None:
    """FieldErrors for every column whose value another live row already has (named as the schema does)."""
    errors: dict[str, list[str]] = {}
    for field, value in values.items():
        if value is None:
            continue
        query = select(model.id).where(getattr(model, field) == value, model.deleted_at.is_(None))
        if exclude_id is not None:
            query = query.where(model.id != exclude_id)
        if session.scalar(query.limit(1)) is not None:
            errors[(field_names or {}).get(field, field)] = [messages.UNIQUE]
    if errors:
        raise FieldErrors(errors)


def apply(row: Any, data: dict[str, Any]) -> None:
    """Set attributes from validated data."""
    for name, value in data.items():
        setattr(row, name, value)
