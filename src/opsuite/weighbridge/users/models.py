"""Operators and administrators, who log in with their phone number; login attempt counters."""

from __future__ import annotations

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from opsuite.core.throttle import LoginThrottleMixin
from opsuite.weighbridge.base import Base


class User(Base):
    """A person who operates the bridge; a superuser also manages users and deletes finished visits."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone_number: Mapped[str] = mapped_column(String(20), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_superuser: Mapped[bool] = mapped_column(Boolean, default=False)
    internal_scale_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """The document's field; this bridge's users carry none (one scale per system)."""


class LoginThrottle(LoginThrottleMixin, Base):
    """Login attempt counters by hashed key (when no Redis is configured)."""
