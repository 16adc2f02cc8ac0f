"""Users as admins manage them: memberships, the service admin of the CLI, approval and rejection."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from opsuite.core.security import hash_password
from opsuite.powerbank import access
from opsuite.powerbank.access import Caller
from opsuite.powerbank.audit import service as audit
from opsuite.powerbank.auth import service as auth_service
from opsuite.powerbank.errors import BadRequest, NotFound
from opsuite.powerbank.org_units import service as units_service
from opsuite.powerbank.users.models import User, UserRole
from opsuite.powerbank.vocab import Role, UserStatus

USER_NOT_FOUND = "Пользователь не найден"
NOT_PENDING = "Пользователь не ожидает подтверждения"
UNIT_REQUIRED = "Для этой роли нужна организационная единица"
APPROVED = "Пользователь одобрен"
REJECTED = "Пользователь отклонен"


def get_user(session: Session, user_id: int) -> User:
    """A user; 404 otherwise."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(USER_NOT_FOUND)
    return user


def set_membership(
    session: Session, *, user_id: int, role: Role, org_unit_id: int | None, now: datetime
) -> UserRole:
    """Give the user its one membership (replacing any); only a service admin may have no unit."""
    if org_unit_id is None and role is not Role.SERVICE_ADMIN:
        raise BadRequest(UNIT_REQUIRED)
    if org_unit_id is not None:
        units_service.get_unit(session, org_unit_id)
    row = access.membership(session, user_id)
    if row is None:
        row = UserRole(user_id=user_id, role=role.value, org_unit_id=org_unit_id, created_at=now)
        session.add(row)
    else:
        row.role = role.value
        row.org_unit_id = org_unit_id
    session.flush()
    return row


def set_service_admin(session: Session, *, phone: str, password: str, now: datetime) -> tuple[User, bool]:
    """Create an active service admin who logs in by `phone`, or make the user with that phone one."""
    password_hash = hash_password(password)
    user = session.scalar(select(User).where(User.phone_e164 == phone))
    created = user is None
    if user is None:
        user = auth_service.add_user(
            session,
            phone=phone,
            email=f"admin{phone.lstrip('+')}@powerbank.local",
            fio="Администратор сервиса",
            password_hash=password_hash,
            status=UserStatus.ACTIVE,
            now=now,
        )
    else:
        user.password_hash = password_hash
        user.status = UserStatus.ACTIVE.value
        user.token_version += 1
        user.updated_at = now
    session.flush()
    set_membership(session, user_id=user.id, role=Role.SERVICE_ADMIN, org_unit_id=None, now=now)
    return user, created


def pending_users(session: Session) -> Sequence[User]:
    """Users waiting for approval, oldest first (unit-less, so every approving admin sees them)."""
    query = select(User).where(User.status == UserStatus.PENDING.value).order_by(User.created_at, User.id)
    return session.scalars(query).all()


def approve(
    session: Session, *, caller: Caller, user_id: int, role: Role, org_unit_id: int | None, now: datetime
) -> User:
    """Make a pending user `active` with `role` in `org_unit_id` (in scope, role not above the caller's)."""
    access.require(caller, access.Permission.APPROVE_USERS)
    access.require_assignable(caller, role)
    access.require_in_scope(session, caller, org_unit_id)
    user = get_user(session, user_id)
    if user.status != UserStatus.PENDING:
        raise BadRequest(NOT_PENDING)
    set_membership(session, user_id=user.id, role=role, org_unit_id=org_unit_id, now=now)
    user.status = UserStatus.ACTIVE.value
    user.reject_reason = None
    user.updated_at = now
    details = {"role": role.value, "org_unit_id": org_unit_id}
    audit.record(
        session,
        actor_id=caller.user_id,
        action="approve_user",
        entity="user",
        entity_id=user.id,
        at=now,
        details=details,
    )
    return user


def reject(session: Session, *, caller: Caller, user_id: int, reason: str | None, now: datetime) -> User:
    """Make a pending user `blocked`, keeping the reason."""
    access.require(caller, access.Permission.APPROVE_USERS)
    user = get_user(session, user_id)
    if user.status != UserStatus.PENDING:
        raise BadRequest(NOT_PENDING)
    user.status = UserStatus.BLOCKED.value
    user.reject_reason = reason
    user.token_version += 1
    user.updated_at = now
    audit.record(
        session,
        actor_id=caller.user_id,
        action="reject_user",
        entity="user",
        entity_id=user.id,
        at=now,
        details={"reason": reason},
    )
    return user
