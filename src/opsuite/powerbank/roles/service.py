"""Role memberships: one per user, given and taken by admins within their reach (notes §2.11)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import false, func, select, true
from sqlalchemy.orm import Session

from opsuite.powerbank import access
from opsuite.powerbank.access import Caller, Permission
from opsuite.powerbank.audit import service as audit
from opsuite.powerbank.envelope import Page
from opsuite.powerbank.errors import NotFound
from opsuite.powerbank.org_units.models import OrgUnit
from opsuite.powerbank.roles.schemas import RoleAssign
from opsuite.powerbank.users import directory
from opsuite.powerbank.users.models import UserRole
from opsuite.powerbank.users.service import set_membership
from opsuite.powerbank.vocab import Role

ROLE_NOT_FOUND = "Роль не найдена"
ROLE_ASSIGNED = "Роль назначена"
ROLE_DELETED = "Роль удалена"


def assign(
    session: Session, *, caller: Caller, new: RoleAssign, now: datetime
) -> tuple[UserRole, str | None]:
    """Give a user `role` in a unit (by default the caller's), replacing the membership; + unit name."""
    directory.managed_user(session, caller, new.user_id)
    access.require_assignable(caller, new.role)
    unit_id = directory.unit_for(session, caller, new.role, new.org_unit_id)
    row = set_membership(session, user_id=new.user_id, role=new.role, org_unit_id=unit_id, now=now)
    details = {"user_id": new.user_id, "role": new.role.value, "org_unit_id": unit_id}
    audit.record(
        session,
        actor_id=caller.user_id,
        action="assign_role",
        entity="user_role",
        entity_id=row.id,
        at=now,
        details=details,
    )
    unit = session.get(OrgUnit, unit_id) if unit_id is not None else None
    return row, unit.name if unit is not None else None


def list_roles(
    session: Session, *, caller: Caller, page: Page, user_id: int | None, role: Role | None
) -> tuple[list[tuple[UserRole, str | None]], int]:
    """A page of memberships in the caller's scope, with each unit's name, by id."""
    access.require(caller, Permission.READ_ALL)
    scope = access.scope_of(session, caller)
    visible = (
        true() if scope.everything else UserRole.org_unit_id.in_(scope.units) if scope.units else false()
    )
    query = (
        select(UserRole, OrgUnit.name).outerjoin(OrgUnit, OrgUnit.id == UserRole.org_unit_id).where(visible)
    )
    if user_id is not None:
        query = query.where(UserRole.user_id == user_id)
    if role is not None:
        query = query.where(UserRole.role == role.value)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(query.order_by(UserRole.id).offset(page.offset).limit(page.limit)).all()
    return [(row, name) for row, name in rows], total


def revoke(session: Session, *, caller: Caller, role_id: int, now: datetime) -> None:
    """Take a membership away: the user is left a plain user without a unit (who cannot borrow)."""
    row = session.get(UserRole, role_id)
    if row is None:
        raise NotFound(ROLE_NOT_FOUND)
    directory.managed_user(session, caller, row.user_id)
    details = {"user_id": row.user_id, "role": row.role, "org_unit_id": row.org_unit_id}
    audit.record(
        session,
        actor_id=caller.user_id,
        action="revoke_role",
        entity="user_role",
        entity_id=row.id,
        at=now,
        details=details,
    )
    session.delete(row)
    session.flush()
