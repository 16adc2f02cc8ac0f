"""Routes of role memberships: `/api/user-roles`."""

from __future__ import annotations

from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Query

from opsuite.core.fields import MAX_ID
from opsuite.powerbank.deps import CallerDep, RuntimeDep, SessionDep
from opsuite.powerbank.envelope import PageDep, mirrored, ok, paginated
from opsuite.powerbank.errors import error_responses
from opsuite.powerbank.roles import service
from opsuite.powerbank.roles.schemas import RoleAssign
from opsuite.powerbank.timefmt import shown
from opsuite.powerbank.users.models import UserRole
from opsuite.powerbank.vocab import Role

router = APIRouter(prefix="/api/user-roles", tags=["Дополнительные API"])


def role_row(row: UserRole, unit_name: str | None, zone: ZoneInfo) -> dict[str, Any]:
    """`{id, role_id, user_id, role, org_unit_id, org_unit_name, created_at}`."""
    return {
        "id": row.id,
        "role_id": row.id,
        "user_id": row.user_id,
        "role": row.role,
        "org_unit_id": row.org_unit_id,
        "org_unit_name": unit_name,
        "created_at": shown(row.created_at, zone),
    }


@router.post(
    "", status_code=201, responses=error_responses(400, 401, 403, 404), summary="Создание роли пользователя"
)
def assign_role(
    body: RoleAssign, session: SessionDep, caller: CallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    row, unit_name = service.assign(session, caller=caller, new=body, now=runtime.clock.now())
    return mirrored(role_row(row, unit_name, runtime.zone), service.ROLE_ASSIGNED, "role_id")


@router.get("", responses=error_responses(400, 401, 403), summary="Роли пользователей")
def list_roles(
    session: SessionDep,
    caller: CallerDep,
    runtime: RuntimeDep,
    page: PageDep,
    user_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    role: Annotated[Role | None, Query()] = None,
) -> dict[str, Any]:
    rows, total = service.list_roles(session, caller=caller, page=page, user_id=user_id, role=role)
    return paginated([role_row(row, name, runtime.zone) for row, name in rows], total, page)


@router.delete("/{role_id:int}", responses=error_responses(400, 401, 403, 404), summary="Удаление роли")
def revoke_role(
    role_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    session: SessionDep,
    caller: CallerDep,
    runtime: RuntimeDep,
) -> dict[str, Any]:
    service.revoke(session, caller=caller, role_id=role_id, now=runtime.clock.now())
    return ok({"role_id": role_id}, service.ROLE_DELETED)
