"""Database capacity: a bounded wait for a connection slot, then 503 with `Retry-After` instead of a stall.

A request that holds a pooled connection must never need a resource that a request waiting for a connection
holds. Requests therefore take a slot of the gate before they touch the database: there are as many slots as
the pool has connections, a request waits at most `wait_seconds` for one, and the slot brings its own worker
thread, so a request that holds a connection never queues behind the threads of requests that wait for one.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

import anyio
import anyio.to_thread
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

T = TypeVar("T")


class CapacitySettings(BaseSettings):
    """Pool and wait limits of every system's database, read from `OPSUITE_DB_*`."""

    model_config = SettingsConfigDict(env_prefix="OPSUITE_DB_", env_file=".env", extra="ignore")

    pool_size: int = Field(default=5, ge=1)
    max_overflow: int = Field(default=10, ge=0)
    wait_seconds: float = Field(default=10.0, gt=0)
    retry_after_seconds: int = Field(default=2, ge=1)

    @property
    def slots(self) -> int:
        """Connections the pool may open, and so requests that may use the database at once."""
        return self.pool_size + self.max_overflow


class DatabaseBusy(Exception):
    """Every connection stayed in use for the whole bounded wait; the client should retry later."""

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"no database connection became free; retry in {retry_after_seconds} s")
        self.retry_after_seconds = retry_after_seconds


class Gate:
    """At most `slots` requests use the database at once; the others wait at most `wait_seconds`."""

    def __init__(self, slots: int, wait_seconds: float, retry_after_seconds: int) -> None:
        self.slots = slots
        self.wait_seconds = wait_seconds
        self.retry_after_seconds = retry_after_seconds
        self._loop: asyncio.AbstractEventLoop | None = None
        self._entry: anyio.CapacityLimiter | None = None
        self._threads: anyio.CapacityLimiter | None = None

    def _limiters(self) -> tuple[anyio.CapacityLimiter, anyio.CapacityLimiter]:
        # Limiters belong to one event loop; a test client or a restarted server brings a new one.
        loop = asyncio.get_running_loop()
        if self._loop is not loop or self._entry is None or self._threads is None:
            self._loop = loop
            self._entry = anyio.CapacityLimiter(self.slots)
            self._threads = anyio.CapacityLimiter(self.slots)
        return self._entry, self._threads

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[anyio.CapacityLimiter]:
        """Hold one slot (or raise DatabaseBusy after the wait); yields the thread limiter of the slots."""
        entry, threads = self._limiters()
        borrower = object()  # a token per slot, so that one task may hold a slot twice without a clash
        acquired = False
        with anyio.move_on_after(self.wait_seconds):
            await entry.acquire_on_behalf_of(borrower)
            acquired = True
        if not acquired:
            raise DatabaseBusy(self.retry_after_seconds)
        try:
            yield threads
        finally:
            entry.release_on_behalf_of(borrower)

    async def run(self, function: Callable[..., T], *args: object) -> T:
        """Run `function(*args)` in a worker thread while holding a slot."""
        async with self.slot() as threads:
            return await anyio.to_thread.run_sync(function, *args, limiter=threads)
