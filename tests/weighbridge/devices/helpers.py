"""Small helpers shared by the weighbridge device tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TypeVar

from opsuite.core.clock import Clock

T = TypeVar("T")


async def first(stream: AsyncIterator[T], count: int = 1) -> list[T]:
    """The next `count` items of a stream."""
    return [await anext(stream) for _ in range(count)]


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
