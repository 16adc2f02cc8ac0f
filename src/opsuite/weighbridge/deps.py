"""Dependency aliases of the weighbridge routes: the session, the runtime, the caller and a superuser."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from opsuite.core.web.deps import SessionDep, get_runtime
from opsuite.weighbridge.errors import Forbidden
from opsuite.weighbridge.runtime import WeighbridgeRuntime
from opsuite.weighbridge.users import service as users_service
from opsuite.weighbridge.users.models import User

# auto_error off: the service answers a missing token itself, in the system's words and with the header.
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/login", auto_error=False)


def weighbridge_runtime(request: Request) -> WeighbridgeRuntime:
    """The weighbridge runtime the app was built on."""
    return cast(WeighbridgeRuntime, get_runtime(request))


RuntimeDep = Annotated[WeighbridgeRuntime, Depends(weighbridge_runtime)]


def current_user(runtime: RuntimeDep, token: Annotated[str | None, Depends(oauth2_scheme)]) -> User:
    """The authenticated caller (401 otherwise), read in a short read of its own; detached."""
    with runtime.database.session(write=False) as session:
        return users_service.authenticate(session, token, runtime.tokens)


CurrentUser = Annotated[User, Depends(current_user)]


def superuser(user: CurrentUser) -> User:
    """The caller, if a superuser (403 otherwise)."""
    if not user.is_superuser:
        raise Forbidden("Действие доступно только администратору")
    return user


SuperUser = Annotated[User, Depends(superuser)]

__all__ = ["CurrentUser", "RuntimeDep", "SessionDep", "SuperUser"]
