"""Who may do what, where (notes §3.1): the four roles and the org-unit tree, as functions domains call.

Scope of an admin = own unit and its subgroups; a service admin's = everything. A user may use the stations
of the same subtree of the own unit (a group member: the group and its subgroups; a subgroup member: that
subgroup). A bank fits a station of its own unit or of a subgroup of its unit, never the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from opsuite.powerbank.errors import Forbidden
from opsuite.powerbank.org_units.models import OrgUnit
from opsuite.powerbank.users.models import User, UserRole
from opsuite.powerbank.vocab import ADMIN_ROLES, RANK, Role

FORBIDDEN = "Доступ запрещен"
OUT_OF_SCOPE = "Объект вне зоны ответственности администратора"
ROLE_TOO_HIGH = "Нельзя назначить роль выше допустимой"


@dataclass(frozen=True)
class Caller:
    """The authenticated user behind a request: id, role and own unit (none for a bare service admin)."""

    user_id: int
    role: Role
    org_unit_id: int | None

    @property
    def is_admin(self) -> bool:
        """Any of the three admin roles."""
        return self.role in ADMIN_ROLES

    @property
    def is_service_admin(self) -> bool:
        """Sees and manages everything."""
        return self.role is Role.SERVICE_ADMIN


@dataclass(frozen=True)
class Scope:
    """A set of org units, or all of them."""

    everything: bool
    units: frozenset[int]

    def covers(self, unit_id: int | None) -> bool:
        """Whether a row of `unit_id` lies inside; a row with no unit only in the everything scope."""
        return self.everything or (unit_id is not None and unit_id in self.units)


EVERYTHING = Scope(everything=True, units=frozenset())
NOTHING = Scope(everything=False, units=frozenset())


class Permission(StrEnum):
    """Actions of the §3.1 matrix beyond a user's own affairs."""

    READ_ALL = "read_all"
    """Stations, banks, orders, users of the scope."""
    MANAGE_USERS = "manage_users"
    APPROVE_USERS = "approve_users"
    """Approve/reject, reset e-mail, bulk import."""
    MANAGE_EQUIPMENT = "manage_equipment"
    """Stations, banks, write-off, cabinet commands."""
    FORCE_EJECT = "force_eject"
    QUERY_INVENTORY = "query_inventory"
    MANAGE_ORG_UNITS = "manage_org_units"
    SERVICE = "service"
    """Secret keys, server address, slot-mirror edits, manual orders."""


LEAST_ROLE: dict[Permission, Role] = {
    Permission.READ_ALL: Role.SUBGROUP_ADMIN,
    Permission.MANAGE_USERS: Role.SUBGROUP_ADMIN,
    Permission.APPROVE_USERS: Role.GROUP_ADMIN,
    Permission.MANAGE_EQUIPMENT: Role.GROUP_ADMIN,
    Permission.FORCE_EJECT: Role.SUBGROUP_ADMIN,
    Permission.QUERY_INVENTORY: Role.SUBGROUP_ADMIN,
    Permission.MANAGE_ORG_UNITS: Role.GROUP_ADMIN,
    Permission.SERVICE: Role.SERVICE_ADMIN,
}
"""The lowest role allowed each action; every higher role is allowed it too."""

HIGHEST_ASSIGNABLE: dict[Role, Role | None] = {
    Role.USER: None,
    Role.SUBGROUP_ADMIN: Role.USER,
    Role.GROUP_ADMIN: Role.SUBGROUP_ADMIN,
    Role.SERVICE_ADMIN: Role.SERVICE_ADMIN,
}
"""The highest role each role may give (or manage a holder of)."""


def allowed(caller: Caller, permission: Permission) -> bool:
    """Whether the caller's role reaches the permission's least role."""
    return RANK[caller.role] >= RANK[LEAST_ROLE[permission]]


def require(caller: Caller, permission: Permission) -> None:
    """403 unless the caller's role allows `permission`."""
    if not allowed(caller, permission):
        raise Forbidden(FORBIDDEN)


def require_admin(caller: Caller) -> None:
    """403 for a plain user."""
    if not caller.is_admin:
        raise Forbidden(FORBIDDEN)


def may_assign(caller: Caller, role: Role) -> bool:
    """Whether the caller may give `role` (or manage a user who holds it)."""
    highest = HIGHEST_ASSIGNABLE[caller.role]
    return highest is not None and RANK[role] <= RANK[highest]


def require_assignable(caller: Caller, role: Role) -> None:
    """403 when the caller may not give `role`."""
    if not may_assign(caller, role):
        raise Forbidden(ROLE_TOO_HIGH)


def membership(session: Session, user_id: int) -> UserRole | None:
    """The user's one role row, if any (a pending user has none)."""
    return session.scalar(select(UserRole).where(UserRole.user_id == user_id))


def caller_of(session: Session, user: User) -> Caller:
    """The caller a user is: role and unit from the membership, `user` without one."""
    row = membership(session, user.id)
    if row is None:
        return Caller(user_id=user.id, role=Role.USER, org_unit_id=None)
    return Caller(user_id=user.id, role=Role(row.role), org_unit_id=row.org_unit_id)


def subtree(session: Session, unit_id: int) -> frozenset[int]:
    """A unit and its live subgroups (the tree has two levels)."""
    children = session.scalars(
        select(OrgUnit.id).where(OrgUnit.parent_id == unit_id, OrgUnit.deleted_at.is_(None))
    )
    return frozenset({unit_id, *children})


def scope_of(session: Session, caller: Caller) -> Scope:
    """The units the caller reaches: everything for a service admin, else the own unit's subtree.

    For a plain user this is where the user may borrow; for an admin, what the admin manages.
    """
    if caller.is_service_admin:
        return EVERYTHING
    if caller.org_unit_id is None:
        return NOTHING
    return Scope(everything=False, units=subtree(session, caller.org_unit_id))


def require_in_scope(session: Session, caller: Caller, unit_id: int | None) -> None:
    """403 when a row of `unit_id` lies outside the caller's scope."""
    if not scope_of(session, caller).covers(unit_id):
        raise Forbidden(OUT_OF_SCOPE)


def may_use_station(session: Session, caller: Caller, station_unit_id: int | None) -> bool:
    """Whether the caller may borrow from or return to a station of `station_unit_id`."""
    return scope_of(session, caller).covers(station_unit_id)


def bank_fits_station(session: Session, bank_unit_id: int | None, station_unit_id: int | None) -> bool:
    """A bank fits a station of its own unit or of a subgroup of its unit; a bank with no unit fits none."""
    if bank_unit_id is None or station_unit_id is None:
        return False
    return station_unit_id in subtree(session, bank_unit_id)


@dataclass(frozen=True)
class Acting:
    """Whose affairs a request touches: the caller's own, or a user's an admin acts for (to be audited)."""

    user_id: int
    for_other: bool


def acting_for(session: Session, caller: Caller, user_id: int | None) -> Acting:
    """The user a body's `user_id` names: the caller by default; another only for an admin in scope."""
    if user_id is None or user_id == caller.user_id:
        return Acting(user_id=caller.user_id, for_other=False)
    if not caller.is_admin:
        raise Forbidden(FORBIDDEN)
    target = membership(session, user_id)
    target_unit = target.org_unit_id if target is not None else None
    if not scope_of(session, caller).covers(target_unit):
        raise Forbidden(OUT_OF_SCOPE)
    return Acting(user_id=user_id, for_other=True)
