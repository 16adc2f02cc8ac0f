"""`roles/` and `permissions/` (with `?role=` and `current/`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from opsuite.core.fields import Id
from opsuite.core.web.deps import SessionDep
from opsuite.waybills.deps import CurrentActor
from opsuite.waybills.roles import service
from opsuite.waybills.roles.flags import FLAGS, Flags
from opsuite.waybills.roles.schemas import ByRole, NoFilters, PermissionIn, PermissionOut, RoleIn, RoleOut
from opsuite.waybills.viewsets import Actions, Resource, register

router = APIRouter()


@router.get(
    "/permissions/current/", response_model=PermissionOut, tags=["permissions"], summary="Flags of my role"
)
def current_permissions(session: SessionDep, actor: CurrentActor) -> Any:
    """The permission flags of the caller's role (404 when it has none)."""
    return PermissionOut.model_validate(service.current_permission(session, actor))


async def _no_filters() -> NoFilters:
    return NoFilters()


async def _by_role(role: Annotated[Id | None, Query(description="Role id")] = None) -> ByRole:
    return ByRole(role=role)


register(
    router,
    Resource(
        prefix="roles",
        tag="roles",
        read=RoleOut,
        write=RoleIn,
        actions=Actions(
            service.list_roles,
            service.get_role,
            service.create_role,
            service.update_role,
            service.delete_role,
        ),
        flags=Flags("view_roles", "can_create_roles", "can_update_roles", "can_delete_roles"),
        filters=_no_filters,
        examples={"name": "Механик"},
    ),
)
register(
    router,
    Resource(
        prefix="permissions",
        tag="permissions",
        read=PermissionOut,
        write=PermissionIn,
        actions=Actions(
            service.list_permissions,
            service.get_permission,
            service.create_permission,
            service.update_permission,
            service.delete_permission,
        ),
        flags=Flags(
            "view_permissisons",
            "can_create_permissions",
            "can_update_permissisons",
            "can_delete_permissisons",
        ),
        filters=_by_role,
        examples={
            "role": 2,
            **dict.fromkeys(FLAGS, False),
            "can_use_mobile_booking": True,
            "can_create_passenger_cars_waybills": True,
            "view_passenger_cars_waybills": True,
        },
    ),
)
