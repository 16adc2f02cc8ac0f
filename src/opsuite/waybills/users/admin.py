"""Administrators created from the command line."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from opsuite.core.security import hash_password
from opsuite.waybills.roles.flags import ADMIN_CODE
from opsuite.waybills.roles.models import Role
from opsuite.waybills.users.models import User


def create_admin(session: Session, *, login: str, password: str) -> str:
    """Create a live user `login` with the administrator role, or reset that user's password and role."""
    role_id = session.scalar(select(Role.id).where(Role.code == ADMIN_CODE, Role.deleted_at.is_(None)))
    if role_id is None:
        raise RuntimeError("the administrator role is missing: run `opsuite migrate` first")
    user = session.scalar(select(User).where(User.login == login, User.deleted_at.is_(None)))
    if user is None:
        user = User(
            name="Администратор", surname="Системный", last_name="-", login=login, phone=_free_phone(session)
        )
        session.add(user)
        action = "created"
    else:
        action = "updated"
    user.password = hash_password(password)
    user.role_id = role_id
    session.flush()
    return f"administrator {login!r} {action} (id {user.id})"


def _free_phone(session: Session) -> str:
    taken = set(session.scalars(select(User.phone).where(User.deleted_at.is_(None))))
    number = 79000000000
    while f"+{number}" in taken:
        number += 1
    return f"+{number}"
