"""Declarative mixins for the `jobs` and `leases` tables; each system mixes them into its own Base."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import JSON, Enum, Integer, String, Text
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.sql import Executable

from opsuite.core.db import UTCDateTime


class JobState(StrEnum):
    """Lifecycle of a job row."""

    PENDING = "PENDING"
    STARTED = "STARTED"
    PROGRESS = "PROGRESS"
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"
    REVOKED = "REVOKED"


ACTIVE_STATES = (JobState.STARTED, JobState.PROGRESS)
UNFINISHED_STATES = (JobState.PENDING, *ACTIVE_STATES)


def affected(session: Session, statement: Executable) -> int:
    """Execute an UPDATE or DELETE and return how many rows it matched (INSERT rowcounts are unreliable)."""
    return cast(CursorResult[Any], session.execute(statement)).rowcount


def new_job_id() -> str:
    """A fresh job id: uuid4 as 32 hex characters."""
    return uuid.uuid4().hex


class JobMixin:
    """Columns of the `jobs` table: the source of truth for every background job of a system."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_job_id)
    name: Mapped[str] = mapped_column(String(200), index=True)
    state: Mapped[JobState] = mapped_column(
        Enum(JobState, native_enum=False, length=16, validate_strings=True),
        default=JobState.PENDING,
        index=True,
    )
    args: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    progress_current: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # none_as_null: a task returning None leaves SQL NULL rather than the JSON literal `null`.
    result: Mapped[Any | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Touched every few seconds by the running attempt; maintenance takes a silent run for lost.
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # What a resumable task has durably done, written in the same transaction as the work it describes.
    checkpoint: Mapped[Any | None] = mapped_column(JSON(none_as_null=True), nullable=True)


class LeaseMixin:
    """Columns of the `leases` table: a named lock with an expiry, shared by every process of a system."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
