"""The permission flags of the original's latest version, with its exact names (typos included)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Flags:
    """The flag each action on a resource needs."""

    view: str
    create: str
    update: str
    delete: str


FLAGS: tuple[str, ...] = (
    "can_use_mobile_booking",
    "can_create_users", "can_delete_users", "can_update_users", "view_users", "view_drivers",
    "can_create_roles", "can_delete_roles", "can_update_roles", "view_roles",
    "can_create_permissions", "can_delete_permissisons", "can_update_permissisons", "view_permissisons",
    "can_create_fire_trucks", "can_delete_fire_trucks", "can_update_fire_trucks", "view_fire_trucks",
    "can_create_fire_truck_waybills", "can_delete_fire_truck_waybills", "can_update_fire_truck_waybills",
    "can_download_fire_truck_waybills", "view_fire_truck_waybills",
    "can_create_fire_truck_waybills_records", "can_delete_fire_truck_waybills_records",
    "can_update_fire_truck_waybills_records", "view_fire_truck_waybills_records",
    "can_create_fire_truck_norms", "can_delete_fire_truck_norms", "can_update_fire_truck_norms",
    "view_fire_truck_norms",
    "can_download_fire_truck_reports", "view_fire_truck_reports",
    "can_create_passenger_cars", "can_delete_passenger_cars", "can_update_passenger_cars",
    "view_passenger_cars",
    "can_create_passenger_cars_waybills", "can_delete_passenger_cars_waybills",
    "can_update_passenger_cars_waybills", "can_download_passenger_cars_waybills",
    "view_passenger_cars_waybills",
    "can_create_passenger_cars_waybills_records", "can_delete_passenger_cars_waybills_records",
    "can_update_passenger_cars_waybills_records", "view_passenger_cars_waybills_records",
    "can_create_passenger_cars_norms", "can_delete_passenger_cars_norms", "can_update_passenger_cars_norms",
    "view_passenger_cars_norms",
    "can_download_passenger_cars_reports", "view_passenger_cars_reports",
    "can_download_drivers_reports", "view_drivers_reports",
    "can_create_technical_maintenance", "can_delete_technical_maintenance",
    "can_update_technical_maintenance", "view_technical_maintenance",
    "view_operating_hours",
)  # fmt: skip

_ADMINISTRATION = {
    "can_create_users", "can_delete_users", "can_update_users", "view_users",
    "can_create_roles", "can_delete_roles", "can_update_roles", "view_roles",
    "can_create_permissions", "can_delete_permissisons", "can_update_permissisons", "view_permissisons",
}  # fmt: skip

ADMIN_CODE = "admin"
MECHANIC_CODE = "mechanic"
DRIVER_CODE = "driver"

# The three roles the migration creates: (stable code, name, granted flags).
DEFAULT_ROLES: tuple[tuple[str, str, frozenset[str]], ...] = (
    (ADMIN_CODE, "Администратор", frozenset(FLAGS)),
    (
        MECHANIC_CODE,
        "Механик",
        frozenset(FLAGS) - _ADMINISTRATION - {"can_delete_passenger_cars", "can_delete_fire_trucks"},
    ),
    (
        DRIVER_CODE,
        "Водитель",
        frozenset(
            {
                "can_use_mobile_booking",
                "view_fire_trucks",
                "view_fire_truck_waybills",
                "can_create_fire_truck_waybills_records",
                "view_passenger_cars",
                "view_passenger_cars_waybills",
                "can_create_passenger_cars_waybills_records",
            }
        ),
    ),
)
