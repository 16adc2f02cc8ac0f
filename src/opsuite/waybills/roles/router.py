"""`roles/` and `permissions/` (with `?role=` and `current/`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from opsuite.core.fields import Id
from opsuite.core.web.deps import SessionDep
from opsuite.waybills.deps import CurrentActor
from opsuite.waybills.roles import service
from opsuite.waybills.roles.flags import DEFAULT_ROLES, DRIVER_CODE, FLAGS, Flags
from opsuite.waybills.roles.schemas import ByRole, NoFilters, PermissionIn, PermissionOut, RoleIn, RoleOut
from opsuite.waybills.viewsets import Actions, Examples, Resource, register

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


# The permissions of the role the roles' create example adds (id 4 on fresh demo data), and the demo
# driver's as the demo has them (the replace example leaves them unchanged).
_DISPATCHER = {
    "role": 4,
    **dict.fromkeys(FLAGS, False),
    "view_passenger_cars": True,
    "view_passenger_cars_waybills": True,
    "view_fire_trucks": True,
    "view_fire_truck_waybills": True,
}
_DRIVER_FLAGS = next(flags for code, _name, flags in DEFAULT_ROLES if code == DRIVER_CODE)
_DRIVER = {"role": 3, **{name: name in _DRIVER_FLAGS for name in FLAGS}}


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
        examples=Examples(
            create={"name": "Диспетчер"},
            item=3,
            replace={"name": "Водитель"},
            change={"name": "Водитель"},
            created=4,
        ),
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
        examples=Examples(
            create=_DISPATCHER,
            item=3,
            replace=_DRIVER,
            change={"can_use_mobile_booking": True},
            created=4,
        ),
    ),
)
