"""Database leases: a named lock with an expiry that every process of a system competes for."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, inspect, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from opsuite.core.jobs.models import LeaseMixin, affected


def acquire_lease(
    session: Session, lease_model: type[LeaseMixin], name: str, *, holder: str, ttl: timedelta, now: datetime
) -> bool:
    """Take the lease `name` until `now + ttl` if it is free or expired; True when this holder got it."""
    lease = lease_model
    expires_at = now + ttl
    # One conditional UPDATE is atomic on both backends: concurrent takers serialise on the row (PostgreSQL)
    # or the write lock (SQLite), and the loser sees the new expiry and matches nothing.
    taken = affected(
        session,
        update(lease)
        .where(lease.name == name, lease.expires_at <= now)
        .values(holder=holder, expires_at=expires_at)
        .execution_options(synchronize_session=False),
    )
    if taken:
        return True
    # First use. ON CONFLICT DO NOTHING rather than catching the unique violation, which would abort a
    # PostgreSQL transaction and log a server error on every tick while someone else holds the lease;
    # RETURNING because an INSERT's rowcount is not reliable across drivers (psycopg reports -1).
    table = inspect(lease_model).local_table
    insert = _insert_for(session)(table)
    inserted = session.execute(
        insert.values(name=name, holder=holder, expires_at=expires_at)
        .on_conflict_do_nothing(index_elements=["name"])
        .returning(table.c.name)
    ).first()
    return inserted is not None


def release_lease(session: Session, lease_model: type[LeaseMixin], name: str, *, holder: str) -> bool:
    """Give the lease back early if `holder` still holds it."""
    lease = lease_model
    released = affected(
        session,
        delete(lease)
        .where(lease.name == name, lease.holder == holder)
        .execution_options(synchronize_session=False),
    )
    return bool(released)


def _insert_for(session: Session) -> Callable[[Any], sqlite.Insert | postgresql.Insert]:
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        return sqlite.insert
    if dialect == "postgresql":
        return postgresql.insert
    raise NotImplementedError(f"leases support SQLite and PostgreSQL, not {dialect}")
