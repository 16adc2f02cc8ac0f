"""Time for every system: wall time, monotonic time and a sleep, behind one injectable object."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    """What code that reads or waits on time is handed; tests hand a fake one."""

    def now(self) -> datetime:
        """The current wall time as an aware UTC datetime."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back, for timeouts and intervals."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait `seconds` on this clock."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """The current wall time as an aware UTC datetime."""
        return datetime.now(UTC)

    def monotonic(self) -> float:
        """`time.monotonic()`."""
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        """`asyncio.sleep(seconds)`."""
        await asyncio.sleep(seconds)


SYSTEM_CLOCK: Clock = SystemClock()


def utcnow() -> datetime:
    """The current time as an aware UTC datetime, for code not handed a clock (column defaults, demo data)."""
    return datetime.now(UTC)
