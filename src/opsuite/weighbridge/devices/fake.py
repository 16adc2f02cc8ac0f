"""In-memory devices for domain tests: no sockets, no sleeps, every value and fault set by the test."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.weighbridge.devices.interface import GATES, SENSOR_COUNT, DeviceError, WeightReading


class FakeIndicator:
    """An indicator whose weight the test sets; `readings()` yields each `set` and raises a `fail` error."""

    def __init__(self, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self._clock = clock
        self._latest: WeightReading | None = None
        self._queue: asyncio.Queue[WeightReading | DeviceError] = asyncio.Queue()

    def set(self, kg: float, *, stable: bool = True) -> WeightReading:
        """Put a reading on the line, stamped with the clock's time."""
        reading = WeightReading(kg=kg, stable=stable, at=self._clock.now())
        self._queue.put_nowait(reading)
        return reading

    def fail(self, error: DeviceError) -> None:
        """Make the open stream raise `error` after the readings already set."""
        self._queue.put_nowait(error)

    def latest(self) -> WeightReading | None:
        """The most recent reading a consumer received, or None before the first."""
        return self._latest

    async def readings(self) -> AsyncGenerator[WeightReading, None]:
        """Yield readings as the test sets them; raise the error the test queued."""
        while True:
            item = await self._queue.get()
            if isinstance(item, DeviceError):
                raise item
            self._latest = item
            yield item


class FakeIO:
    """An I/O module in memory: the test sets sensors and reads back every gate command."""

    def __init__(self) -> None:
        self.sensors: tuple[bool, ...] = (False,) * SENSOR_COUNT
        self.gates: dict[int, bool] = dict.fromkeys(GATES, False)
        self.commands: list[tuple[int, bool]] = []
        """Every gate command accepted, in order."""
        self.error: DeviceError | None = None
        """Raised by every call while set, as a module that stopped answering."""
        self.closed = 0

    async def read_sensors(self) -> tuple[bool, ...]:
        """The sensors the test set."""
        self._check()
        return self.sensors

    async def set_gate(self, gate: int, is_open: bool) -> None:
        """Record the command and hold the gate in that state."""
        if gate not in GATES:
            raise ValueError(f"gate must be one of {GATES}, got {gate}")
        self._check()
        self.commands.append((gate, is_open))
        self.gates[gate] = is_open

    async def read_gates(self) -> dict[int, bool]:
        """Gate id -> open, as last commanded."""
        self._check()
        return dict(self.gates)

    async def close(self) -> None:
        """Count the close; the fake has nothing to release."""
        self.closed += 1

    def _check(self) -> None:
        if self.error is not None:
            raise self.error


class FakeCamera:
    """A camera that returns the test's bytes, or raises the test's error."""

    def __init__(self, image: bytes = b"\xff\xd8\xff\xe0fake-jpeg\xff\xd9") -> None:
        self.image = image
        self.error: DeviceError | None = None
        self.calls = 0

    async def snapshot(self) -> bytes:
        """The configured image, or the configured error."""
        self.calls += 1
        if self.error is not None:
            raise self.error
        return self.image
