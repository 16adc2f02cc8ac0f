"""Users as admins see and manage them: who is visible to whom, list, create, replace, delete."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, or_, select, true
from sqlalchemy.orm import Session

from opsuite.core.security import hash_password
from opsuite.powerbank import access
from opsuite.powerbank.access import Caller, Permission
from opsuite.powerbank.audit import service as audit
from opsuite.powerbank.auth import service as auth_service
from opsuite.powerbank.envelope import Page
from opsuite.powerbank.errors import BadRequest, Forbidden
from opsuite.powerbank.orders.models import Order
from opsuite.powerbank.org_units.models import OrgUnit
from opsuite.powerbank.powerbanks.models import PowerbankErrorReport
from opsuite.powerbank.users.models import User, UserRole
from opsuite.powerbank.users.schemas import UserWrite
from opsuite.powerbank.users.service import get_user, set_membership
from opsuite.powerbank.vocab import Role, UserStatus

USER_CREATED = "Пользователь создан"
USER_UPDATED = "Пользователь обновлен"
USER_DELETED = "Пользователь удален"
HAS_ORDERS = "У пользователя есть заказы: заблокируйте его вместо удаления"
NOT_YOURSELF = "Свою учетную запись меняют в профиле, а роль и статус — другой администратор"
PASSWORD_REQUIRED = "Укажите пароль"


@dataclass(frozen=True)
class UserView:
    """A user with its membership and unit, as the list and the detail show it."""

    user: User
    membership: UserRole | None
    unit: OrgUnit | None

    @property
    def role(self) -> Role:
        """The user's role (`user` without a membership)."""
        return Role(self.membership.role) if self.membership is not None else Role.USER


def _joined() -> Select[User, UserRole, OrgUnit]:
    return (
        select(User, UserRole, OrgUnit)
        .outerjoin(UserRole, UserRole.user_id == User.id)
        .outerjoin(OrgUnit, OrgUnit.id == UserRole.org_unit_id)
    )


def _visible(session: Session, caller: Caller) -> ColumnElement[bool]:
    """Users of units in the caller's scope; unit-less pending users for those who approve."""
    scope = access.scope_of(session, caller)
    if scope.everything:
        return true()
    in_scope = UserRole.org_unit_id.in_(scope.units) if scope.units else false()
    if not access.allowed(caller, Permission.APPROVE_USERS):
        return in_scope
    return or_(in_scope, and_(UserRole.id.is_(None), User.status == UserStatus.PENDING.value))


def list_users(
    session: Session, *, caller: Caller, page: Page, status: UserStatus | None, role: Role | None
) -> tuple[list[UserView], int]:
    """A page of the users the caller sees, by id, filtered by status and role."""
    access.require(caller, Permission.READ_ALL)
    query = _joined().where(_visible(session, caller))
    if status is not None:
        query = query.where(User.status == status.value)
    if role is Role.USER:
        query = query.where(or_(UserRole.role == role.value, UserRole.id.is_(None)))
    elif role is not None:
        query = query.where(UserRole.role == role.value)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(query.order_by(User.id).offset(page.offset).limit(page.limit)).all()
    return [UserView(user, membership, unit) for user, membership, unit in rows], total


def view_user(session: Session, *, caller: Caller, user_id: int) -> UserView:
    """One user the caller sees: 404 unknown, 403 outside the caller's scope."""
    access.require(caller, Permission.READ_ALL)
    get_user(session, user_id)
    row = session.execute(_joined().where(User.id == user_id, _visible(session, caller))).first()
    if row is None:
        raise Forbidden(access.OUT_OF_SCOPE)
    user, membership, unit = row
    return UserView(user, membership, unit)


def unit_for(session: Session, caller: Caller, role: Role, unit_id: int | None) -> int | None:
    """The unit a new or replaced user goes to (the caller's own when none is given), checked for scope."""
    if unit_id is None and role is not Role.SERVICE_ADMIN and not caller.is_service_admin:
        unit_id = caller.org_unit_id
    if unit_id is not None or not caller.is_service_admin:
        access.require_in_scope(session, caller, unit_id)
    return unit_id


def _require_may_set_status(caller: Caller, old: UserStatus | None, new: UserStatus) -> None:
    # Making a pending user active is approval, which subgroup admins may not do.
    if new != old and (old is UserStatus.PENDING or new is UserStatus.PENDING):
        access.require(caller, Permission.APPROVE_USERS)


def create_user(session: Session, *, caller: Caller, new: UserWrite, now: datetime) -> UserView:
    """A user made by an admin: role not above what the caller may give, unit in scope, the given password."""
    access.require(caller, Permission.MANAGE_USERS)
    access.require_assignable(caller, new.role)
    _require_may_set_status(caller, None, new.status)
    if new.password is None:
        raise BadRequest(PASSWORD_REQUIRED)
    unit_id = unit_for(session, caller, new.role, new.parent_org_unit_id)
    password_hash = hash_password(new.password)
    user = auth_service.add_user(
        session,
        phone=new.phone_e164,
        email=new.email,
        fio=new.fio,
        password_hash=password_hash,
        status=new.status,
        now=now,
        powerbank_limit=new.powerbank_limit,
    )
    session.flush()
    set_membership(session, user_id=user.id, role=new.role, org_unit_id=unit_id, now=now)
    audit.record(
        session, actor_id=caller.user_id, action="create_user", entity="user", entity_id=user.id, at=now
    )
    return view_user(session, caller=caller, user_id=user.id)


def managed_user(session: Session, caller: Caller, user_id: int) -> UserView:
    """A user the caller may change: visible, holding a role the caller may give, and not the caller."""
    access.require(caller, Permission.MANAGE_USERS)
    if user_id == caller.user_id:
        raise Forbidden(NOT_YOURSELF)
    current = view_user(session, caller=caller, user_id=user_id)
    access.require_assignable(caller, current.role)
    return current


def replace_user(
    session: Session, *, caller: Caller, user_id: int, new: UserWrite, now: datetime
) -> UserView:
    """Replace a user's fields, role and unit; blocking or a new password ends the user's tokens."""
    current = managed_user(session, caller, user_id)
    access.require_assignable(caller, new.role)
    user = current.user
    _require_may_set_status(caller, UserStatus(user.status), new.status)
    unit_id = unit_for(session, caller, new.role, new.parent_org_unit_id)
    if auth_service.taken(session, phone=new.phone_e164, email=new.email, except_id=user.id):
        raise BadRequest(auth_service.DUPLICATE_USER)
    if new.password is not None:
        user.password_hash = hash_password(new.password)
        user.token_version += 1
    if new.status != user.status and new.status is UserStatus.BLOCKED:
        user.token_version += 1
    user.fio = new.fio
    user.phone_e164 = new.phone_e164
    user.email = new.email
    user.status = new.status.value
    user.powerbank_limit = new.powerbank_limit
    user.updated_at = now
    set_membership(session, user_id=user.id, role=new.role, org_unit_id=unit_id, now=now)
    details = {"role": new.role.value, "org_unit_id": unit_id, "status": new.status.value}
    audit.record(
        session,
        actor_id=caller.user_id,
        action="update_user",
        entity="user",
        entity_id=user.id,
        at=now,
        details=details,
    )
    session.expire_all()
    return view_user(session, caller=caller, user_id=user.id)


def delete_user(session: Session, *, caller: Caller, user_id: int, now: datetime) -> None:
    """Delete a user with no orders (one with history is blocked instead); never oneself."""
    current = managed_user(session, caller, user_id)
    history = (
        exists().where(Order.user_id == user_id),
        exists().where(PowerbankErrorReport.user_id == user_id),
    )
    if any(session.scalar(select(clause)) for clause in history):
        raise BadRequest(HAS_ORDERS)
    audit.record(
        session, actor_id=caller.user_id, action="delete_user", entity="user", entity_id=user_id, at=now
    )
    session.delete(current.user)
    session.flush()
