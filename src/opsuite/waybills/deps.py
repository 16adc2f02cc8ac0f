"""Dependency aliases of the waybills routes: the session, the settings, the caller and flag checks."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.orm import Session

from opsuite.core.db import Database
from opsuite.waybills.auth import service as auth_service
from opsuite.waybills.auth.service import Actor
from opsuite.waybills.errors import PermissionDenied
from opsuite.waybills.settings import WaybillsSettings

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_database(request: Request) -> Database:
    """The system's database."""
    database: Database = request.app.state.database
    return database


def get_settings(request: Request) -> WaybillsSettings:
    """The system's settings."""
    settings: WaybillsSettings = request.app.state.settings
    return settings


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One transaction per request, in a slot of the database's gate; writes lock up front on SQLite."""
    async with get_database(request).request_session(write=request.method not in _READ_METHODS) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[WaybillsSettings, Depends(get_settings)]


def get_actor(
    request: Request,
    session: SessionDep,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Actor:
    """The authenticated caller (401 otherwise)."""
    return auth_service.authenticate(session, authorization, request.app.state.tokens)


CurrentActor = Annotated[Actor, Depends(get_actor)]


def require(flag: str) -> Callable[[Actor], Actor]:
    """A dependency that lets the caller through only if its role grants `flag`."""

    def check(actor: CurrentActor) -> Actor:
        if not actor.allows(flag):
            raise PermissionDenied()
        return actor

    check.__name__ = f"require_{flag}"
    return check
