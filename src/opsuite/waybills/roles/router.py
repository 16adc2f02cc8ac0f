"""`roles/` and `permissions/` (with `?role=` and `current/`)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Annotated, Any

from fastapi import APIRouter, Query

from opsuite.waybills.deps import CurrentActor, SessionDep
from opsuite.waybills.fields import Id
from opsuite.waybills.roles import service
from opsuite.waybills.roles.flags import FLAGS
from opsuite.waybills.roles.schemas import PermissionIn, PermissionOut, RoleIn, RoleOut
from opsuite.waybills.viewsets import Flags, Resource, register

router = APIRouter()


@router.get(
    "/permissions/current/", response_model=PermissionOut, tags=["permissions"], summary="Flags of my role"
)
def current_permissions(session: SessionDep, actor: CurrentActor) -> Any:
    """The permission flags of the caller's role (404 when it has none)."""
    return PermissionOut.model_validate(service.current_permission(session, actor))


async def _no_filters() -> dict[str, Any]:
    return {}


async def _permission_filters(
    role: Annotated[Id | None, Query(description="Role id")] = None,
) -> dict[str, Any]:
    return {"role": role}


register(
    router,
    Resource(
        prefix="roles",
        tag="roles",
        read=RoleOut,
        write=RoleIn,
        service=SimpleNamespace(
            get=service.get_role,
            create=service.create_role,
            update=service.update_role,
            delete=service.delete_role,
        ),
        flags=Flags("view_roles", "can_create_roles", "can_update_roles", "can_delete_roles"),
        list_rows=lambda session: service.list_roles(session),
        examples={"name": "Механик"},
    ),
    _no_filters,
)
register(
    router,
    Resource(
        prefix="permissions",
        tag="permissions",
        read=PermissionOut,
        write=PermissionIn,
        service=SimpleNamespace(
            get=service.get_permission,
            create=service.create_permission,
            update=service.update_permission,
            delete=service.delete_permission,
        ),
        flags=Flags(
            "view_permissisons",
            "can_create_permissions",
            "can_update_permissisons",
            "can_delete_permissisons",
        ),
        list_rows=service.list_permissions,
        examples={
            "role": 2,
            **dict.fromkeys(FLAGS, False),
            "can_use_mobile_booking": True,
            "can_create_passenger_cars_waybills": True,
            "view_passenger_cars_waybills": True,
        },
    ),
    _permission_filters,
)
