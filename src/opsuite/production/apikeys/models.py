"""The `api_keys` table: one row per key, holding only the key's SHA-256."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from opsuite.core.db import UTCDateTime
from opsuite.production.base import Base, Entity


class ApiKey(Entity, Base):
    """A key's name, the first characters shown to tell keys apart, its hash, and when it was revoked."""

    __tablename__ = "api_keys"

    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    revoked_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(), nullable=True, default=None, index=True
    )
