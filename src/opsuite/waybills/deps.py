"""Dependency aliases of the waybills routes: the runtime, the caller and flag checks."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Header, Request

from opsuite.core.web.deps import SessionDep, get_runtime
from opsuite.waybills.auth import service as auth_service
from opsuite.waybills.auth.service import Actor
from opsuite.waybills.errors import PermissionDenied
from opsuite.waybills.runtime import WaybillsRuntime


async def get_waybills_runtime(request: Request) -> WaybillsRuntime:
    """The waybills runtime the app was built on (async: FastAPI would run a plain function in a thread)."""
    return cast(WaybillsRuntime, get_runtime(request))


RuntimeDep = Annotated[WaybillsRuntime, Depends(get_waybills_runtime)]


def get_actor(
    runtime: RuntimeDep,
    session: SessionDep,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Actor:
    """The authenticated caller (401 otherwise)."""
    return auth_service.authenticate(session, authorization, runtime.tokens)


CurrentActor = Annotated[Actor, Depends(get_actor)]


class Require:
    """A dependency that lets the caller through only if its role grants `flag`."""

    def __init__(self, flag: str) -> None:
        self.flag = flag

    def __call__(self, actor: CurrentActor) -> Actor:
        """The caller, if its role grants the flag (403 otherwise)."""
        if not actor.allows(self.flag):
            raise PermissionDenied()
        return actor
