"""The dependencies every system's routes share: its runtime and one transaction per request."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from opsuite.core.runtime import Runtime

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_runtime(request: Request) -> Runtime:
    """The runtime the app was built on (a system narrows its type with `runtime_of`)."""
    runtime: Runtime = request.app.state.runtime
    return runtime


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One transaction per request, in a slot of the database's gate; writes lock up front on SQLite."""
    database = get_runtime(request).database
    async with database.request_session(write=request.method not in READ_METHODS) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
