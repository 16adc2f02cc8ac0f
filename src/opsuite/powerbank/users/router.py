"""Routes of user administration: `/api/users` list, create, read, replace, delete."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from opsuite.powerbank.deps import CallerDep, RuntimeDep, SessionDep
from opsuite.powerbank.envelope import PageDep, mirrored, ok, paginated
from opsuite.powerbank.errors import error_responses
from opsuite.powerbank.fields import UserIdPath
from opsuite.powerbank.users import directory
from opsuite.powerbank.users.present import user_row
from opsuite.powerbank.users.schemas import UserWrite
from opsuite.powerbank.vocab import Role, UserStatus

router = APIRouter(prefix="/api/users", tags=["Управление пользователями"])


@router.get("", responses=error_responses(400, 401, 403), summary="Список пользователей")
def list_users(
    session: SessionDep,
    caller: CallerDep,
    runtime: RuntimeDep,
    page: PageDep,
    status: Annotated[UserStatus | None, Query()] = None,
    role: Annotated[Role | None, Query()] = None,
) -> dict[str, Any]:
    views, total = directory.list_users(session, caller=caller, page=page, status=status, role=role)
    return paginated([user_row(view, runtime.zone) for view in views], total, page)


@router.post(
    "", status_code=201, responses=error_responses(400, 401, 403, 404), summary="Создание пользователя"
)
def create_user(
    body: UserWrite, session: SessionDep, caller: CallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    view = directory.create_user(session, caller=caller, new=body, now=runtime.clock.now())
    return mirrored(user_row(view, runtime.zone), directory.USER_CREATED, "user_id")


@router.get("/{user_id:int}", responses=error_responses(400, 401, 403, 404), summary="Пользователь по ID")
def get_user(
    user_id: UserIdPath, session: SessionDep, caller: CallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    return ok(user_row(directory.view_user(session, caller=caller, user_id=user_id), runtime.zone))


@router.put(
    "/{user_id:int}", responses=error_responses(400, 401, 403, 404), summary="Обновление пользователя"
)
def replace_user(
    user_id: UserIdPath, body: UserWrite, session: SessionDep, caller: CallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    view = directory.replace_user(session, caller=caller, user_id=user_id, new=body, now=runtime.clock.now())
    return ok(user_row(view, runtime.zone), directory.USER_UPDATED)


@router.delete(
    "/{user_id:int}", responses=error_responses(400, 401, 403, 404), summary="Удаление пользователя"
)
def delete_user(
    user_id: UserIdPath, session: SessionDep, caller: CallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    directory.delete_user(session, caller=caller, user_id=user_id, now=runtime.clock.now())
    return ok({"user_id": user_id}, directory.USER_DELETED)
