"""Write an audit row in the caller's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from opsuite.powerbank.audit.models import ActionLog


def record(
    session: Session,
    *,
    actor_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None,
    at: datetime,
    details: dict[str, Any] | None = None,
) -> None:
    """Log one action; it commits or rolls back with the change it describes."""
    row = ActionLog(actor_id=actor_id, action=action, entity=entity, entity_id=entity_id, at=at)
    row.details = details
    session.add(row)
