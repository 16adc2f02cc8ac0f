"""Small helpers shared by the weighbridge device tests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from opsuite.core.clock import Clock
from tests.clock import FakeClock

T = TypeVar("T")


async def first(stream: AsyncIterator[T], count: int = 1) -> list[T]:
    """The next `count` items of a stream."""
    return [await anext(stream) for _ in range(count)]


async def until(condition: Callable[[], bool]) -> None:
    """Yield to the loop (and to socket I/O) until `condition` holds; the test's hang guard bounds it."""
    while not condition():
        await asyncio.sleep(0.005)


async def advance_until_done(clock: FakeClock, pending: asyncio.Future[Any]) -> None:
    """Move the fake clock a second at a time until `pending` finishes (frames in flight reset gaps)."""
    while not pending.done():
        clock.advance(seconds=1)
        await asyncio.sleep(0.02)


@dataclass
class RecordingReporter:
    """A `DeviceReporter` that writes down what a device task told it."""

    clock: Clock
    events: list[str] = field(default_factory=list)

    def connected(self) -> None:
        """Record it."""
        self.events.append("connected")

    def frame(self) -> None:
        """Record it."""
        self.events.append("frame")

    def failed(self, error: BaseException | str) -> None:
        """Record it."""
        self.events.append(f"failed: {error}")
