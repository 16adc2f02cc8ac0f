"""Roles and their permission flags."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from opsuite.waybills.base import Base, SoftDelete
from opsuite.waybills.roles.flags import FLAGS


class Role(SoftDelete, Base):
    """A role; `code` is the stable marker of the default roles (the driver role is found by it)."""

    __tablename__ = "role"
    __table_args__ = (
        Index("uq_role_name_live", "name", unique=True, sqlite_where=text("deleted_at IS NULL"),
              postgresql_where=text("deleted_at IS NULL")),
        Index("uq_role_code", "code", unique=True),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    code: Mapped[str | None] = mapped_column(String(20), default=None)


class Permission(SoftDelete, Base):
    """The flags of one role (one live row per role)."""

    __tablename__ = "permission"
    __table_args__ = (
        Index("uq_permission_role_live", "role_id", unique=True, sqlite_where=text("deleted_at IS NULL"),
              postgresql_where=text("deleted_at IS NULL")),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("role.id", ondelete="CASCADE"))


for _flag in FLAGS:
    setattr(
        Permission,
        _flag,
        mapped_column(_flag, Boolean, nullable=False, default=False, server_default=text("false")),
    )
Permission.__annotations__.update(dict.fromkeys(FLAGS, Mapped[bool]))
