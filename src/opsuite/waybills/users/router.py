"""`users/` (with `?role=`) and `users/drivers/`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from opsuite.core.fields import Id
from opsuite.core.web.deps import SessionDep
from opsuite.waybills.auth.service import Actor
from opsuite.waybills.deps import Require
from opsuite.waybills.roles import schemas as roles_schemas
from opsuite.waybills.roles.flags import Flags
from opsuite.waybills.users import service
from opsuite.waybills.users.schemas import UserIn, UserOut, UserReplace
from opsuite.waybills.viewsets import Actions, Examples, Resource, register

router = APIRouter()


@router.get(
    "/users/drivers/", response_model=list[UserOut], tags=["users"], summary="Users of the driver role"
)
def drivers(session: SessionDep, _: Annotated[Actor, Depends(Require("view_drivers"))]) -> Any:
    """Live users whose role is the driver role."""
    return [UserOut.model_validate(user) for user in service.list_drivers(session)]


async def _by_role(role: Annotated[Id | None, Query(description="Role id")] = None) -> roles_schemas.ByRole:
    return roles_schemas.ByRole(role=role)


register(
    router,
    Resource(
        prefix="users",
        tag="users",
        read=UserOut,
        write=UserIn,
        full_update=UserReplace,
        actions=Actions(
            service.list_users,
            service.get_user,
            service.create_user,
            service.update_user,
            service.delete_user,
        ),
        flags=Flags("view_users", "can_create_users", "can_update_users", "can_delete_users"),
        filters=_by_role,
        examples=Examples(
            create={
                "name": "Николай",
                "surname": "Водителев",
                "last_name": "Петрович",
                "login": "driver1",
                "password": "driver123",
                "phone": "+79001234567",
                "driver_license": "5400111222",
                "role": 3,
            },
            item=3,
            replace={
                "name": "Иван",
                "surname": "Иванов",
                "last_name": "Иванович",
                "login": "driver_pass",
                "phone": "+79000000003",
                "driver_license": "5400123456",
                "role": 3,
            },
            change={"phone": "+79000000003"},
            created=5,
        ),
    ),
)
