"""Administrators created from the command line, repairing the administrator role if it was broken."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from opsuite.core.security import hash_password
from opsuite.waybills.roles.flags import ADMIN_CODE, DEFAULT_ROLES, FLAGS
from opsuite.waybills.roles.models import Permission, Role
from opsuite.waybills.users.models import User

_ADMIN_NAME = next(name for code, name, _granted in DEFAULT_ROLES if code == ADMIN_CODE)


def create_admin(session: Session, *, login: str, password: str) -> str:
    """Create a live user `login` with the administrator role, or reset that user's password and role."""
    role_id, repaired = _admin_role(session)
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
    note = f"; administrator role {repaired}" if repaired else ""
    return f"administrator {login!r} {action} (id {user.id}){note}"


def _admin_role(session: Session) -> tuple[int, str]:
    """The administrator role, live and granting every flag; says what had to be repaired ('' if nothing)."""
    repairs: list[str] = []
    role = session.scalar(select(Role).where(Role.code == ADMIN_CODE))
    if role is None:
        role = Role(name=_free_role_name(session), code=ADMIN_CODE)
        session.add(role)
        repairs.append("recreated")
    elif role.deleted_at is not None:
        # The name first: its query flushes, and a live role may have taken the old name meanwhile.
        role.name = _free_role_name(session, exclude=role.id)
        role.deleted_at = None
        repairs.append("restored")
    session.flush()
    permission = session.scalar(
        select(Permission).where(Permission.role_id == role.id, Permission.deleted_at.is_(None))
    )
    if permission is None:
        permission = Permission(role_id=role.id)
        session.add(permission)
        repairs.append("given its permission row")
    else:
        missing = [flag for flag in FLAGS if not getattr(permission, flag)]
        if missing:
            repairs.append(f"given back {len(missing)} flag(s)")
    for flag in FLAGS:
        setattr(permission, flag, True)
    session.flush()
    return role.id, ", ".join(repairs)


def _free_role_name(session: Session, exclude: int | None = None) -> str:
    """The default administrator name, or a numbered one if a live role already has it."""
    query = select(Role.name).where(Role.deleted_at.is_(None))
    if exclude is not None:
        query = query.where(Role.id != exclude)
    taken = set(session.scalars(query))
    name, n = _ADMIN_NAME, 1
    while name in taken:
        n += 1
        name = f"{_ADMIN_NAME} {n}"
    return name


def _free_phone(session: Session) -> str:
    taken = set(session.scalars(select(User.phone).where(User.deleted_at.is_(None))))
    number = 79000000000
    while f"+{number}" in taken:
        number += 1
    return f"+{number}"
