"""Routes of registration approval: pending users, approve, reject (`/api/admin/...`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from opsuite.powerbank.access import Caller, Permission
from opsuite.powerbank.deps import RuntimeDep, SessionDep, allowed_to
from opsuite.powerbank.envelope import mirrored
from opsuite.powerbank.errors import error_responses
from opsuite.powerbank.users import service
from opsuite.powerbank.users.present import pending_out
from opsuite.powerbank.users.schemas import ApproveRequest, RejectRequest

router = APIRouter(prefix="/api/admin", tags=["Административные функции"])

Approver = Annotated[Caller, Depends(allowed_to(Permission.APPROVE_USERS))]


@router.get(
    "/pending-users", responses=error_responses(401, 403), summary="Пользователи, ожидающие одобрения"
)
def pending_users(session: SessionDep, caller: Approver, runtime: RuntimeDep) -> dict[str, Any]:
    users = [pending_out(user, runtime.zone) for user in service.pending_users(session)]
    return mirrored({"users": users, "count": len(users)})


@router.post("/approve-user", responses=error_responses(400, 401, 403, 404), summary="Одобрение пользователя")
def approve_user(
    body: ApproveRequest, session: SessionDep, caller: Approver, runtime: RuntimeDep
) -> dict[str, Any]:
    user = service.approve(
        session,
        caller=caller,
        user_id=body.user_id,
        role=body.role,
        org_unit_id=body.org_unit_id,
        now=runtime.clock.now(),
    )
    return mirrored({"user_id": user.id, "status": user.status}, service.APPROVED)


@router.post("/reject-user", responses=error_responses(400, 401, 403, 404), summary="Отклонение пользователя")
def reject_user(
    body: RejectRequest, session: SessionDep, caller: Approver, runtime: RuntimeDep
) -> dict[str, Any]:
    user = service.reject(
        session, caller=caller, user_id=body.user_id, reason=body.reason, now=runtime.clock.now()
    )
    return mirrored(
        {"user_id": user.id, "status": user.status, "reason": user.reject_reason}, service.REJECTED
    )
