"""Users: CRUD with hashed passwords and live uniqueness; drivers are users of the driver role."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from opsuite.core.security import hash_password
from opsuite.waybills.auth.service import Actor
from opsuite.waybills.crud import apply, check_unique, get_live, list_live, soft_delete, take_reference
from opsuite.waybills.roles import schemas as roles_schemas
from opsuite.waybills.roles.flags import DRIVER_CODE
from opsuite.waybills.roles.models import Role
from opsuite.waybills.users.models import User
from opsuite.waybills.users.schemas import UserIn

_UNIQUE = ("login", "phone", "driver_license")


def list_users(session: Session, *, filters: roles_schemas.ByRole) -> list[User]:
    """Live users by id, optionally of one role."""
    return list_live(session, User, role_id=filters.role)


def list_drivers(session: Session) -> list[User]:
    """Live users whose live role is the driver role (found by its marker, never by id)."""
    return list(
        session.scalars(
            select(User)
            .join(Role, Role.id == User.role_id)
            .where(User.deleted_at.is_(None), Role.deleted_at.is_(None), Role.code == DRIVER_CODE)
            .order_by(User.surname, User.name, User.id)
        )
    )


def get_user(session: Session, *, row_id: int) -> User:
    """One live user."""
    return get_live(session, User, row_id)


def create_user(session: Session, *, body: UserIn, actor: Actor | None = None) -> User:
    """Create a user; the password is stored as an Argon2 hash."""
    values = _prepare(session, body.model_dump(), None)
    user = User(**values)
    session.add(user)
    session.flush()
    return user


def update_user(
    session: Session, *, row_id: int, body: UserIn, partial: bool = False, actor: Actor | None = None
) -> User:
    """Change a user; a new password changes the hash and so invalidates older tokens."""
    user = get_user(session, row_id=row_id)
    apply(user, _prepare(session, body.model_dump(exclude_unset=partial), user.id))
    session.flush()
    return user


def delete_user(session: Session, *, row_id: int, actor: Actor | None = None) -> None:
    """Soft-delete a user; their tokens stop working and the login may be reused."""
    soft_delete(get_user(session, row_id=row_id))


def _prepare(session: Session, data: dict[str, Any], user_id: int | None) -> dict[str, Any]:
    values = dict(data)
    take_reference(session, values, Role, "role")
    check_unique(session, User, {k: values[k] for k in _UNIQUE if k in values}, user_id)
    password = values.pop("password", None)
    if password:
        values["password"] = hash_password(password)
    return values
