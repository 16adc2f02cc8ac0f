"""Stored files: register a written file, find a downloadable one, remove expired ones."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from opsuite.core.db import Database
from opsuite.core.files import FileStore
from opsuite.production.errors import NotFound
from opsuite.production.files.models import StoredFile
from opsuite.production.settings import ProductionSettings

log = logging.getLogger(__name__)

FILE_NOT_FOUND = "Файл не найден"
DOWNLOADABLE = ("report", "export")
CLEANUP_CHUNK = 500


def file_store(settings: ProductionSettings) -> FileStore:
    """The system's file store."""
    return FileStore(settings.files_path)


def download_url(file_id: uuid.UUID) -> str:
    """The document's download link of a stored file."""
    return f"/api/reports/{file_id}"


def register(
    session: Session,
    *,
    file_id: uuid.UUID,
    kind: str,
    fmt: str,
    name: str,
    size: int,
    store: FileStore,
    now: datetime,
    retention_days: int,
    batch_id: uuid.UUID | None = None,
) -> StoredFile:
    """Record a file already written to `store` under `file_id`; it expires after `retention_days`."""
    row = StoredFile(
        uuid=file_id,
        kind=kind,
        format=fmt,
        batch_id=batch_id,
        path=store.relative(file_id, fmt),
        name=name[:255],
        size=size,
        created_at=now,
        expires_at=now + timedelta(days=retention_days),
    )
    session.add(row)
    session.flush()
    return row


def get_download(session: Session, *, file_id: str, store: FileStore, now: datetime) -> StoredFile:
    """A report or export that exists and has not expired; 404 otherwise (also for a malformed id)."""
    try:
        key = uuid.UUID(file_id)
    except ValueError:
        raise NotFound(FILE_NOT_FOUND) from None
    row = session.get(StoredFile, key)
    if row is None or row.kind not in DOWNLOADABLE or row.expires_at <= now or not store.exists(row.path):
        raise NotFound(FILE_NOT_FOUND)
    return row


def cleanup(database: Database, store: FileStore, *, now: datetime, retention_days: int) -> dict[str, Any]:
    """Delete expired rows with their files, then files on disk older than the retention with no row."""
    removed_rows = 0
    while True:
        with database.session() as session:
            rows = list(
                session.scalars(select(StoredFile).where(StoredFile.expires_at <= now).limit(CLEANUP_CHUNK))
            )
            for row in rows:
                store.delete(row.path)
                session.delete(row)
        removed_rows += len(rows)
        if len(rows) < CLEANUP_CHUNK:
            break
    # Files whose row never committed (a crash between write and insert) or abandoned temporary files.
    with database.session(write=False) as session:
        known = set(session.scalars(select(StoredFile.path)))
    orphans = 0
    cutoff = (now - timedelta(days=retention_days)).timestamp()
    for path in store.files_older_than(cutoff):
        if path.relative_to(store.root).as_posix() not in known:
            path.unlink(missing_ok=True)
            orphans += 1
    if removed_rows or orphans:
        log.info("files cleanup: %d expired, %d orphaned files removed", removed_rows, orphans)
    return {"expired": removed_rows, "orphans": orphans}
