"""The `event_types` table: the documented event types, seeded by the migration."""

from __future__ import annotations

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from opsuite.production.base import Base, Entity


class EventType(Entity, Base):
    """An event type that subscriptions may list."""

    __tablename__ = "event_types"

    name: Mapped[str] = mapped_column(String(100), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    webhook_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    description: Mapped[str | None] = mapped_column(String(255), nullable=True)
