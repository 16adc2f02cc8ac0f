"""Users (phone login, approval status, own limit), their one role membership, login attempt counters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from opsuite.core.throttle import LoginThrottleMixin
from opsuite.powerbank.base import Base, moment
from opsuite.powerbank.vocab import Role, UserStatus, one_of


class User(Base):
    """A person who logs in by phone; `pending` until an admin approves, `blocked` when rejected."""

    __tablename__ = "app_user"
    __table_args__ = (
        CheckConstraint(one_of("status", UserStatus), name="status"),
        CheckConstraint("powerbank_limit IS NULL OR powerbank_limit >= 0", name="powerbank_limit"),
        Index("uq_app_user_email_lower", text("lower(email)"), unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fio: Mapped[str | None] = mapped_column(String(255), nullable=True)
    phone_e164: Mapped[str] = mapped_column(String(16), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), default=UserStatus.PENDING.value)
    powerbank_limit: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """The user's own limit; NULL means the unit's default."""
    token_version: Mapped[int] = mapped_column(Integer, default=0)
    """Bumped when the password changes or the user is blocked: older tokens stop working."""
    reject_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = moment()
    updated_at: Mapped[datetime | None] = moment(nullable=True)
    last_login_at: Mapped[datetime | None] = moment(nullable=True)


class UserRole(Base):
    """A user's one membership: the role and the org unit it applies in (none for a service admin)."""

    __tablename__ = "user_role"
    __table_args__ = (CheckConstraint(one_of("role", Role), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), unique=True)
    org_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("org_unit.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    role: Mapped[str] = mapped_column(String(32), default=Role.USER.value)
    created_at: Mapped[datetime] = moment()


class LoginThrottle(LoginThrottleMixin, Base):
    """Login and registration attempt counters by hashed key (when no Redis is configured)."""
