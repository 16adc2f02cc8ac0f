"""Users as the document shows them (login's `user`, profile, pending list)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from opsuite.powerbank.access import Caller
from opsuite.powerbank.timefmt import shown
from opsuite.powerbank.users.directory import UserView
from opsuite.powerbank.users.models import User


def user_out(user: User, caller: Caller, zone: ZoneInfo) -> dict[str, Any]:
    """`{user_id, phone_e164, email, fio, status, role, parent_org_unit_id, powerbank_limit, ...}`."""
    return {
        "user_id": user.id,
        "phone_e164": user.phone_e164,
        "email": user.email,
        "fio": user.fio,
        "status": user.status,
        "role": caller.role.value,
        "parent_org_unit_id": caller.org_unit_id,
        "powerbank_limit": user.powerbank_limit,
        "created_at": shown(user.created_at, zone),
        "last_login_at": shown(user.last_login_at, zone),
    }


def pending_out(user: User, zone: ZoneInfo) -> dict[str, Any]:
    """A row of `GET /api/admin/pending-users`."""
    return {
        "user_id": user.id,
        "phone_e164": user.phone_e164,
        "email": user.email,
        "fio": user.fio,
        "status": user.status,
        "created_at": shown(user.created_at, zone),
    }


def user_row(view: UserView, zone: ZoneInfo) -> dict[str, Any]:
    """A row of `GET /api/users` and the body of one user."""
    user, unit = view.user, view.unit
    return {
        "user_id": user.id,
        "phone_e164": user.phone_e164,
        "email": user.email,
        "fio": user.fio,
        "created_at": shown(user.created_at, zone),
        "last_login_at": shown(user.last_login_at, zone),
        "status": user.status,
        "role": view.role.value,
        "parent_org_unit_id": view.membership.org_unit_id if view.membership is not None else None,
        "powerbank_limit": user.powerbank_limit,
        "individual_limit": user.powerbank_limit,
        "group_default_limit": unit.default_powerbank_limit if unit is not None else None,
        "group_name": unit.name if unit is not None else None,
    }
