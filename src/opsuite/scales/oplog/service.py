"""Writing and reading the per-device operation log."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from opsuite.core.db import Database
from opsuite.scales.oplog.models import OperationLog

log = logging.getLogger(__name__)

LIMIT = 100


def record(
    database: Database,
    *,
    device_id: int,
    operation: str,
    status: str,
    http_status: int,
    detail: str | None,
    at: datetime,
) -> None:
    """Append one entry in its own transaction; a device deleted meanwhile simply gets none."""
    try:
        with database.session() as session:
            session.add(
                OperationLog(
                    device_id=device_id,
                    operation=operation,
                    status=status,
                    http_status=http_status,
                    detail=detail,
                    at=at,
                )
            )
    except IntegrityError:
        log.info("operation %s on deleted device %s not logged", operation, device_id)


def recent(session: Session, *, device_id: int) -> Sequence[OperationLog]:
    """The newest entries of a device, newest first."""
    query = (
        select(OperationLog)
        .where(OperationLog.device_id == device_id)
        .order_by(OperationLog.id.desc())
        .limit(LIMIT)
    )
    return list(session.scalars(query))
