"""Dependency aliases of the powerbank routes: runtime, settings, session, the caller and role guards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, cast

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from opsuite.core.web.deps import SessionDep, get_runtime
from opsuite.powerbank import access
from opsuite.powerbank.access import Caller, Permission
from opsuite.powerbank.auth import service as auth_service
from opsuite.powerbank.runtime import Runtime
from opsuite.powerbank.settings import PowerbankSettings
from opsuite.powerbank.users.models import User

__all__ = [
    "AdminDep",
    "CallerDep",
    "CurrentUserDep",
    "RuntimeDep",
    "SessionDep",
    "SettingsDep",
    "allowed_to",
]

# auto_error off: a missing token is answered in the document's envelope (401), not FastAPI's 403.
bearer = HTTPBearer(auto_error=False, description="JWT из `POST /api/auth/login`")


def powerbank_runtime(request: Request) -> Runtime:
    """The powerbank runtime the app was built on."""
    return cast(Runtime, get_runtime(request))


def get_settings(request: Request) -> PowerbankSettings:
    """The system's settings."""
    return powerbank_runtime(request).settings


RuntimeDep = Annotated[Runtime, Depends(powerbank_runtime)]
SettingsDep = Annotated[PowerbankSettings, Depends(get_settings)]


def get_identity(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> tuple[User, Caller]:
    """The active user behind the bearer token, read in the request's own transaction; 401 otherwise."""
    token = credentials.credentials if credentials is not None else None
    return auth_service.authenticate(session, token, request.app.state.signing_key)


def get_caller(identity: Annotated[tuple[User, Caller], Depends(get_identity)]) -> Caller:
    """Who calls: id, role, own unit."""
    return identity[1]


def get_current_user(identity: Annotated[tuple[User, Caller], Depends(get_identity)]) -> User:
    """The caller's user row (attached to the request's session)."""
    return identity[0]


CallerDep = Annotated[Caller, Depends(get_caller)]
CurrentUserDep = Annotated[User, Depends(get_current_user)]


def get_admin(caller: CallerDep) -> Caller:
    """The caller, who must hold an admin role (403 otherwise)."""
    access.require_admin(caller)
    return caller


AdminDep = Annotated[Caller, Depends(get_admin)]


def allowed_to(permission: Permission) -> Callable[[Caller], Caller]:
    """A dependency: the caller, whose role must allow `permission` (403 otherwise).

    Use as `Annotated[Caller, Depends(allowed_to(Permission.SERVICE))]`.
    """

    def guard(caller: CallerDep) -> Caller:
        access.require(caller, permission)
        return caller

    return guard
