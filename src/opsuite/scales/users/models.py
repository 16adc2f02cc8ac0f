"""Users: an e-mail and a password hash; each owns their devices. Login attempt counters."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from opsuite.core.throttle import LoginThrottleMixin
from opsuite.scales.base import Base


class User(Base):
    """A registered user."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(255))


class LoginThrottle(LoginThrottleMixin, Base):
    """Login and registration attempt counters by hashed key (when no Redis is configured)."""
