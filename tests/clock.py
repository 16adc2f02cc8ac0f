"""The one fake clock of the suite: wall and monotonic time move only when a test says so."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta

DEFAULT_START = datetime(2025, 1, 20, 9, 0, tzinfo=UTC)


class FakeClock:
    """A `core.clock.Clock` moved by `advance`; thread-safe, and its sleepers wake on any event loop."""

    def __init__(self, start: datetime = DEFAULT_START) -> None:
        self._now = start
        self._monotonic = 1000.0
        self._lock = threading.Lock()
        self._sleepers: list[tuple[float, asyncio.AbstractEventLoop, asyncio.Future[None]]] = []

    def now(self) -> datetime:
        """The fake wall time."""
        with self._lock:
            return self._now

    def monotonic(self) -> float:
        """The fake monotonic time, in seconds."""
        with self._lock:
            return self._monotonic

    async def sleep(self, seconds: float) -> None:
        """Wait until the test has advanced the clock by `seconds` (at once when `seconds` <= 0)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        with self._lock:
            if seconds <= 0:
                return
            self._sleepers.append((self._monotonic + seconds, loop, future))
        await future

    @property
    def sleepers(self) -> int:
        """How many coroutines wait on this clock now."""
        with self._lock:
            return sum(1 for _, _, future in self._sleepers if not future.done())

    def advance(self, delta: timedelta | None = None, **parts: float) -> datetime:
        """Move forward by `delta` or by timedelta keywords (`seconds=5`), waking the sleepers that are due."""
        step = (delta or timedelta()) + timedelta(**parts)
        with self._lock:
            self._now += step
            self._monotonic += step.total_seconds()
            due = [entry for entry in self._sleepers if entry[0] <= self._monotonic]
            self._sleepers = [entry for entry in self._sleepers if entry[0] > self._monotonic]
            moment = self._now
        for _, loop, future in due:
            loop.call_soon_threadsafe(_wake, future)
        return moment

    def set(self, moment: datetime) -> None:
        """Jump the wall time to `moment` (monotonic time does not move)."""
        with self._lock:
            self._now = moment


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
