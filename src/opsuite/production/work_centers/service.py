"""Work center rules: a unique identifier; a center still used by batches cannot be deleted."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from opsuite.production.batches.models import Batch
from opsuite.production.common.paging import PageParams, Sorting, fetch_page, ordered
from opsuite.production.errors import AlreadyExists, InvalidState, NotFound
from opsuite.production.events import service as events_service
from opsuite.production.webhooks.delivery import WebhookOutbox
from opsuite.production.work_centers.models import WorkCenter
from opsuite.production.work_centers.schemas import WorkCenterCreate, WorkCenterUpdate

SORT_FIELDS = ("created_at", "updated_at", "identifier", "name")


def not_found(work_center_id: uuid.UUID) -> NotFound:
    """The document's 404 for a work center."""
    return NotFound(f"Рабочий центр с UUID {work_center_id} не найден")


def _taken(identifier: str) -> AlreadyExists:
    return AlreadyExists(f"Рабочий центр с идентификатором {identifier} уже существует")


def get(session: Session, work_center_id: uuid.UUID, *, for_update: bool = False) -> WorkCenter:
    """The work center, or 404."""
    center = session.get(WorkCenter, work_center_id, with_for_update=for_update)
    if center is None:
        raise not_found(work_center_id)
    return center


def create(session: Session, *, data: WorkCenterCreate, now: datetime) -> WorkCenter:
    """A new work center; 409 when the identifier is taken."""
    if session.scalar(select(exists().where(WorkCenter.identifier == data.identifier))):
        raise _taken(data.identifier)
    center = WorkCenter(identifier=data.identifier, name=data.name, created_at=now)
    session.add(center)
    _flush(session, data.identifier)
    return center


def list_page(
    session: Session, *, page: PageParams, sorting: Sorting, identifier: str | None
) -> tuple[list[WorkCenter], int]:
    """A page of work centers, optionally of one identifier."""
    statement = select(WorkCenter)
    if identifier is not None:
        statement = statement.where(WorkCenter.identifier == identifier)
    return fetch_page(
        session, ordered(statement, WorkCenter, sorting, resource="work_centers", allowed=SORT_FIELDS), page
    )


def update(
    session: Session, *, work_center_id: uuid.UUID, data: WorkCenterUpdate, now: datetime
) -> WorkCenter:
    """Rename or re-identify; 409 when the new identifier belongs to another center."""
    center = get(session, work_center_id, for_update=True)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    new_identifier = changes.get("identifier")
    if new_identifier is not None and new_identifier != center.identifier:
        taken = select(
            exists().where(WorkCenter.identifier == new_identifier, WorkCenter.uuid != center.uuid)
        )
        if session.scalar(taken):
            raise _taken(new_identifier)
    for field, value in changes.items():
        setattr(center, field, value)
    center.updated_at = now
    _flush(session, center.identifier)
    return center


def delete(session: Session, *, outbox: WebhookOutbox, work_center_id: uuid.UUID) -> None:
    """Delete an unused work center; 409 while batches refer to it (the original silently cascaded)."""
    center = get(session, work_center_id, for_update=True)
    if session.scalar(select(exists().where(Batch.work_center_id == center.uuid))):
        raise InvalidState("Рабочий центр используется в партиях")
    session.delete(center)
    session.flush()
    events_service.emit(
        session,
        outbox,
        "work_center.deleted",
        {"work_center_id": str(center.uuid), "identifier": center.identifier},
    )


def _flush(session: Session, identifier: str) -> None:
    # The unique index settles a race between two requests that both passed the check above.
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise _taken(identifier) from None
