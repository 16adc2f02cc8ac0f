"""Devices: one scale of a user, its encrypted password and its product cache."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from opsuite.core.jobs import UTCDateTime
from opsuite.scales.base import Base


class Device(Base):
    """A scale registered by a user."""

    __tablename__ = "devices"
    __table_args__ = (UniqueConstraint("owner_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(500), default="")
    ip: Mapped[str] = mapped_column(String(64))
    port: Mapped[int] = mapped_column(Integer, default=1111)
    protocol: Mapped[str] = mapped_column(String(8), default="TCP")
    password_encrypted: Mapped[str] = mapped_column(Text)
    # The scale's whole product file as JSON text, so keys we do not model survive the round trip.
    products_cache_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    cached_dirty: Mapped[bool] = mapped_column(Boolean, default=False)
    # The file as the scale last had it (fetched or pushed): what discarding unsent edits restores.
    products_synced_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    cache_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_pushed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
