"""The lifespan every system shares: its parts started in order, stopped in reverse, the database last."""

from __future__ import annotations

import inspect
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass

from fastapi import FastAPI

from opsuite.core.db import Database
from opsuite.core.logs import system_var

log = logging.getLogger("opsuite.lifespan")


@dataclass(frozen=True)
class Part:
    """Something that lives as long as the app: a job runner, a scheduler, a device host, a simulator.

    `start` and `stop` are plain or async callables.
    """

    name: str
    start: Callable[[], object]
    stop: Callable[[], object]


async def _call(action: Callable[[], object]) -> None:
    result = action()
    if inspect.isawaitable(result):
        await result


def lifespan_of(
    system: str, database: Database, parts: Sequence[Part]
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """A lifespan starting `parts` in order and stopping the started ones in reverse, then the database."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        system_var.set(system)
        started: list[Part] = []
        try:
            for part in parts:
                await _call(part.start)
                started.append(part)
            yield
        finally:
            for part in reversed(started):
                try:
                    await _call(part.stop)
                except Exception:  # one part failing to stop must not keep the others running
                    log.exception("%s: %s did not stop cleanly", system, part.name)
            database.dispose()

    return lifespan
