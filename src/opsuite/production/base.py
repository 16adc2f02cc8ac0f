"""Declarative base of every production table, and the columns they all share."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from opsuite.core.clock import utcnow
from opsuite.core.db import UTCDateTime, new_metadata


class Base(DeclarativeBase):
    """Base of every production table."""

    metadata = new_metadata()


class Entity:
    """`uuid` primary key, `created_at`, and `updated_at` that stays null until the first change."""

    uuid: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, default=None)
