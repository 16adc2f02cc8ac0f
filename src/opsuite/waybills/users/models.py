"""Users: drivers, mechanics, administrators."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from opsuite.waybills.base import Base, SoftDelete

LIVE = text("deleted_at IS NULL")


class User(SoftDelete, Base):
    """A person who logs in; `password` holds the hash."""

    __tablename__ = "user"
    __table_args__ = (
        Index("uq_user_login_live", "login", unique=True, sqlite_where=LIVE, postgresql_where=LIVE),
        Index("uq_user_phone_live", "phone", unique=True, sqlite_where=LIVE, postgresql_where=LIVE),
        Index("uq_user_driver_license_live", "driver_license", unique=True, sqlite_where=LIVE,
              postgresql_where=LIVE),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    surname: Mapped[str] = mapped_column(String(40))
    last_name: Mapped[str] = mapped_column(String(40))
    login: Mapped[str] = mapped_column(String(15))
    password: Mapped[str] = mapped_column(String(300))
    phone: Mapped[str] = mapped_column(String(12))
    driver_license: Mapped[str | None] = mapped_column(String(10), default=None)
    role_id: Mapped[int | None] = mapped_column(ForeignKey("role.id"), default=None, index=True)

    @property
    def full_name(self) -> str:
        """ "Surname Name Patronymic", as waybills print it."""
        return " ".join(part for part in (self.surname, self.name, self.last_name) if part)
