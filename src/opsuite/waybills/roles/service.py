"""Roles and permission rows: CRUD with live uniqueness, and the default roles."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from opsuite.waybills import messages
from opsuite.waybills.auth.service import Actor
from opsuite.waybills.crud import apply, check_unique, get_live, list_live, soft_delete, take_reference
from opsuite.waybills.errors import NotFound
from opsuite.waybills.roles.flags import DEFAULT_ROLES, FLAGS
from opsuite.waybills.roles.managers import keeping_a_role_manager
from opsuite.waybills.roles.models import Permission, Role
from opsuite.waybills.roles.schemas import ByRole, NoFilters, PermissionIn, RoleIn


def list_roles(session: Session, *, filters: NoFilters) -> list[Role]:
    """Live roles by id."""
    return list_live(session, Role)


def get_role(session: Session, *, row_id: int) -> Role:
    """One live role."""
    return get_live(session, Role, row_id)


def create_role(session: Session, *, body: RoleIn, actor: Actor | None = None) -> Role:
    """Create a role with a name unique among live roles."""
    check_unique(session, Role, {"name": body.name}, None)
    role = Role(name=body.name)
    session.add(role)
    session.flush()
    return role


def update_role(
    session: Session, *, row_id: int, body: RoleIn, partial: bool = False, actor: Actor | None = None
) -> Role:
    """Rename a role."""
    role = get_role(session, row_id=row_id)
    data = body.model_dump(exclude_unset=partial)
    check_unique(session, Role, {"name": data.get("name")}, role.id)
    apply(role, data)
    session.flush()
    return role


def delete_role(session: Session, *, row_id: int, actor: Actor | None = None) -> None:
    """Soft-delete a role (never the last that can manage roles); it grants nothing from now on."""
    with keeping_a_role_manager(session):
        soft_delete(get_role(session, row_id=row_id))


def list_permissions(session: Session, *, filters: ByRole) -> list[Permission]:
    """Live permission rows, optionally of one role."""
    return list_live(session, Permission, role_id=filters.role)


def get_permission(session: Session, *, row_id: int) -> Permission:
    """One live permission row."""
    return get_live(session, Permission, row_id)


def create_permission(session: Session, *, body: PermissionIn, actor: Actor | None = None) -> Permission:
    """Create the flags of a live role that has none yet."""
    values = body.model_dump()
    take_reference(session, values, Role, "role")
    check_unique(session, Permission, {"role_id": values["role_id"]}, None, {"role_id": "role"})
    permission = Permission(**values)
    session.add(permission)
    session.flush()
    return permission


def update_permission(
    session: Session, *, row_id: int, body: PermissionIn, partial: bool = False, actor: Actor | None = None
) -> Permission:
    """Change flags (and, rarely, the role), never stripping the last role that can manage roles."""
    with keeping_a_role_manager(session):
        permission = get_permission(session, row_id=row_id)
        values = body.model_dump(exclude_unset=partial)
        take_reference(session, values, Role, "role")
        if "role_id" in values:
            check_unique(
                session, Permission, {"role_id": values["role_id"]}, permission.id, {"role_id": "role"}
            )
        apply(permission, values)
    return permission


def delete_permission(session: Session, *, row_id: int, actor: Actor | None = None) -> None:
    """Soft-delete a permission row (never the last that can manage roles); its role grants nothing now."""
    with keeping_a_role_manager(session):
        soft_delete(get_permission(session, row_id=row_id))


def current_permission(session: Session, actor: Actor) -> Permission:
    """The flags of the caller's live role, or NotFound."""
    if actor.permission_id is None:
        raise NotFound(messages.NO_ROLE_PERMISSIONS)
    return session.get_one(Permission, actor.permission_id)


def seed_default_roles(session: Session) -> None:
    """Create the three default roles with their flags, unless a role with that marker exists."""
    for code, name, granted in DEFAULT_ROLES:
        if session.scalar(select(Role.id).where(Role.code == code)) is not None:
            continue
        role = Role(name=name, code=code)
        session.add(role)
        session.flush()
        session.add(Permission(role_id=role.id, **{flag: flag in granted for flag in FLAGS}))
    session.flush()
