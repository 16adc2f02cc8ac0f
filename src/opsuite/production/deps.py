"""Dependency aliases of the production routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from opsuite.production.runtime import Runtime

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_runtime(request: Request) -> Runtime:
    """The system's runtime."""
    runtime: Runtime = request.app.state.runtime
    return runtime


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One transaction per request, in a slot of the database's gate; writes lock up front on SQLite."""
    database = get_runtime(request).database
    async with database.request_session(write=request.method not in _READ_METHODS) as session:
        yield session


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
SessionDep = Annotated[Session, Depends(get_session)]
