"""The `files` table: one row per stored file."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from opsuite.core.db import UTCDateTime
from opsuite.production.base import Base, Entity


class StoredFile(Entity, Base):
    """A file in the store: what it is, where it lies (by id only), its download name, when it expires."""

    __tablename__ = "files"

    kind: Mapped[str] = mapped_column(String(16), index=True)
    """report | export | import"""
    format: Mapped[str] = mapped_column(String(8))
    batch_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, index=True)
    """The batch of a report; no foreign key, so a report outlives its batch until cleanup."""
    path: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
