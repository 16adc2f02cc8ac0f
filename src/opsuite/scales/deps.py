"""Dependency aliases of the scales routes: its runtime, settings and the caller (core gives the session)."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from opsuite.core.web.deps import get_runtime
from opsuite.scales.runtime import Runtime
from opsuite.scales.settings import ScalesSettings
from opsuite.scales.users import service as users_service

# auto_error off: the service reads the header itself, to say what is wrong (no token, another scheme).
# The scheme stays a dependency so that Swagger UI offers its "Authorize" form.
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/login", auto_error=False)


def scales_runtime(request: Request) -> Runtime:
    """The scales runtime the app was built on."""
    return cast(Runtime, get_runtime(request))


def get_settings(request: Request) -> ScalesSettings:
    """The system's settings."""
    return scales_runtime(request).settings


RuntimeDep = Annotated[Runtime, Depends(scales_runtime)]
SettingsDep = Annotated[ScalesSettings, Depends(get_settings)]


def get_user_id(request: Request, _token: Annotated[str | None, Depends(oauth2_scheme)]) -> int:
    """The authenticated caller's id (401 otherwise), checked in a short read of its own."""
    runtime = scales_runtime(request)
    authorization = request.headers.get("Authorization")
    with runtime.database.session(write=False) as session:
        return users_service.authenticate(session, authorization, request.app.state.signing_key).id


UserId = Annotated[int, Depends(get_user_id)]
