"""Dependency aliases of the scales routes: the session, the runtime and the caller."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from opsuite.scales.runtime import Runtime
from opsuite.scales.settings import ScalesSettings
from opsuite.scales.users import service as users_service

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# auto_error off: the service answers a missing token itself, with FastAPI's own words and header.
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/login", auto_error=False)


def get_runtime(request: Request) -> Runtime:
    """The system's runtime."""
    runtime: Runtime = request.app.state.runtime
    return runtime


def get_settings(request: Request) -> ScalesSettings:
    """The system's settings."""
    settings: ScalesSettings = request.app.state.settings
    return settings


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One transaction per request, in a slot of the database's gate; writes lock up front on SQLite."""
    database = get_runtime(request).database
    async with database.request_session(write=request.method not in _READ_METHODS) as session:
        yield session


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
SettingsDep = Annotated[ScalesSettings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]


def get_user_id(request: Request, token: Annotated[str | None, Depends(oauth2_scheme)]) -> int:
    """The authenticated caller's id (401 otherwise), checked in a short read of its own."""
    runtime = get_runtime(request)
    with runtime.database.session(write=False) as session:
        return users_service.authenticate(session, token, request.app.state.signing_key).id


UserId = Annotated[int, Depends(get_user_id)]
