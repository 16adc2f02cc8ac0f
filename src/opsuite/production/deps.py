"""Dependency aliases of the production routes: core's session, and the runtime with its production type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, cast

from fastapi import Depends, Request

from opsuite.core.web.deps import SessionDep, get_runtime
from opsuite.production.runtime import Runtime

__all__ = ["RuntimeDep", "SessionDep"]

# The app is built on a production runtime, so core's dependency returns one.
RuntimeDep = Annotated[Runtime, Depends(cast(Callable[[Request], Runtime], get_runtime))]
