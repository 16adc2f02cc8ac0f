"""What the weighbridge domain may ask of its devices, and the errors it may get back."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from opsuite.core.clock import Clock

GATES = (1, 2, 3, 4)
"""Gate ids as the document numbers them: 1 entry 1, 2 entry 2, 3 exit 1, 4 exit 2."""

SENSOR_COUNT = 3
"""Position sensors across the platform, `sensors_active[0..2]` on the wire."""


@dataclass(frozen=True)
class WeightReading:
    """One weight from the indicator: kilograms, whether it has settled, and when it arrived."""

    kg: float
    stable: bool
    at: datetime


@dataclass(frozen=True)
class IOSnapshot:
    """One poll of the I/O module: sensors (active = True), gate id -> open, and when it was taken."""

    sensors: tuple[bool, ...]
    gates: Mapping[int, bool]
    at: datetime


class DeviceError(Exception):
    """Any failure of a weighbridge device; the domain reports it and carries on weighing."""


class DeviceUnavailable(DeviceError):
    """The device is unreachable or refused: port missing, connection refused or dropped, bad reply."""


class DeviceTimedOut(DeviceError):
    """The device did not answer in time (named apart from core's `DeviceTimeout`, a host-call overrun)."""


@runtime_checkable
class Indicator(Protocol):
    """The weight indicator: a stream of readings while its port is open, and the last one seen."""

    def readings(self) -> AsyncIterator[WeightReading]:
        """Open the port and yield readings until it fails (DeviceError) or the consumer stops."""
        ...

    def latest(self) -> WeightReading | None:
        """The most recent reading, or None before the first."""
        ...


@runtime_checkable
class IOModule(Protocol):
    """The I/O module: position sensors in, gate relays out."""

    async def read_sensors(self) -> tuple[bool, ...]:
        """The position sensors, `True` meaning active (beam broken, loop occupied), after inversion."""
        ...

    async def set_gate(self, gate: int, is_open: bool) -> None:
        """Command gate 1-4 open or closed (a latched coil, or a pulse on its open or close coil)."""
        ...

    async def read_gates(self) -> dict[int, bool]:
        """Gate id -> open: a latched coil read back, or the last command for pulsed gates."""
        ...

    async def close(self) -> None:
        """Release the connection; the next call reconnects."""
        ...


@runtime_checkable
class Camera(Protocol):
    """An IP camera that serves JPEG snapshots."""

    async def snapshot(self) -> bytes:
        """One JPEG frame."""
        ...


class DeviceReporter(Protocol):
    """What a long-lived device task reports to its host (core's `DeviceContext` fits this shape)."""

    @property
    def clock(self) -> Clock:
        """The host's clock."""
        ...

    def connected(self) -> None:
        """The device answered."""
        ...

    def frame(self) -> None:
        """A valid frame arrived (implies connected)."""
        ...

    def failed(self, error: BaseException | str) -> None:
        """The device failed; the host shows it until the next success."""
        ...


DeviceTask = Callable[[DeviceReporter], Awaitable[None]]
"""A long-lived task the host runs and restarts with backoff when it raises."""
