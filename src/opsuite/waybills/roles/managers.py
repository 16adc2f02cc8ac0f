"""The rule that keeps the installation manageable: some live role can always edit roles and their flags."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from opsuite.waybills.errors import BusinessError
from opsuite.waybills.roles.models import Permission, Role

# With these a role can create a role, give it flags and change any role's flags: it can repair the rest.
ROLE_MANAGEMENT: tuple[str, ...] = (
    "view_roles",
    "can_create_roles",
    "can_update_roles",
    "view_permissisons",
    "can_create_permissions",
    "can_update_permissisons",
)
LAST_MANAGER = (
    "Нельзя удалить последнюю роль, которая может управлять ролями и правами, или снять с неё эти права."
)


def _managing() -> Select[int]:
    """Live permission rows of live roles granting every role-management flag."""
    granted = [getattr(Permission, flag).is_(True) for flag in ROLE_MANAGEMENT]
    return (
        select(Permission.id)
        .join(Role, Role.id == Permission.role_id)
        .where(Permission.deleted_at.is_(None), Role.deleted_at.is_(None), *granted)
    )


@contextmanager
def keeping_a_role_manager(session: Session) -> Iterator[None]:
    """Run a change to roles or flags; refuse it (BusinessError) if it leaves no role able to manage roles.

    The managing rows are locked first (PostgreSQL), so two concurrent changes that would each leave the
    other's role as the last manager run one after the other and the second sees the first's result.
    """
    before = session.scalars(_managing().with_for_update()).all()
    yield
    session.flush()
    if before and session.scalar(_managing().limit(1)) is None:
        raise BusinessError(LAST_MANAGER)
