"""Cabinet commands as API code sends them, each bounded by a deadline, wherever the gateway runs.

`LocalCabinetCommands` calls a gateway in this process (on the device host's loop when one is given);
`placement.RedisCabinetCommands` sends the same calls to whichever gateway process holds the cabinet.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.core.devices import DeviceHost, DeviceTimeout
from opsuite.powerbank.devices.interface import (
    CabinetGateway,
    CabinetTimeout,
    EjectResult,
    InventoryReport,
    ServerAddress,
    StationId,
)
from opsuite.powerbank.devices.wire import bounded

T = TypeVar("T")
Timeout = float | None
"""Seconds a command may take; None for its kind's default deadline."""


@dataclass(frozen=True, kw_only=True)
class Deadlines:
    """How long a command may take, queueing behind the cabinet's previous command included, in seconds."""

    eject: float = 10.0
    """Eject and force eject (observed at most 1.3 s)."""
    command: float = 5.0
    """Every other command."""

    def pick(self, timeout: float | None, *, eject: bool = False) -> float:
        """`timeout` when given, else the default deadline of the command's kind."""
        if timeout is not None:
            return timeout
        return self.eject if eject else self.command


class CabinetCommands(Protocol):
    """The cabinets, as API workers command them; `timeout` overrides the command's default deadline.

    Raises CabinetOffline (no gateway holds the cabinet), CabinetTimeout (the deadline passed),
    CabinetRefused (the cabinet answered a failure) and ValueError (a slot or level the wire cannot carry).
    """

    async def eject(self, station_id: StationId, slot: int, *, timeout: Timeout = None) -> EjectResult:
        """Release the bank of `slot`."""
        ...

    async def force_eject(self, station_id: StationId, slot: int, *, timeout: Timeout = None) -> EjectResult:
        """Open the lock of `slot` whatever it holds."""
        ...

    async def inventory(self, station_id: StationId, *, timeout: Timeout = None) -> InventoryReport:
        """The occupied slots."""
        ...

    async def restart(self, station_id: StationId, *, timeout: Timeout = None) -> None:
        """Reboot the cabinet."""
        ...

    async def read_volume(self, station_id: StationId, *, timeout: Timeout = None) -> int:
        """The voice volume level, 0..15."""
        ...

    async def set_volume(self, station_id: StationId, level: int, *, timeout: Timeout = None) -> None:
        """Set the voice volume level, 0..15."""
        ...

    async def read_server_address(self, station_id: StationId, *, timeout: Timeout = None) -> ServerAddress:
        """Where the cabinet dials and its heartbeat period."""
        ...

    async def set_server_address(
        self, station_id: StationId, address: ServerAddress, *, timeout: Timeout = None
    ) -> None:
        """Change where the cabinet dials and its heartbeat period."""
        ...

    async def read_iccid(self, station_id: StationId, *, timeout: Timeout = None) -> str:
        """The SIM card's ICCID."""
        ...

    async def online(self, station_id: StationId) -> bool:
        """Whether a gateway holds a live connection of the cabinet."""
        ...


class LocalCabinetCommands:
    """Implements CabinetCommands on a gateway of this process; with `host`, the gateway lives on its loop."""

    def __init__(
        self,
        gateway: CabinetGateway,
        *,
        host: DeviceHost | None = None,
        clock: Clock = SYSTEM_CLOCK,
        deadlines: Deadlines | None = None,
    ) -> None:
        self.gateway = gateway
        self._host = host
        self._clock = clock
        self.deadlines = deadlines or Deadlines()

    async def eject(self, station_id: StationId, slot: int, *, timeout: Timeout = None) -> EjectResult:
        """Release the bank of `slot`."""
        call = lambda: self.gateway.eject(station_id, slot)  # noqa: E731
        return await self._call(station_id, "eject", call, timeout, True)

    async def force_eject(self, station_id: StationId, slot: int, *, timeout: Timeout = None) -> EjectResult:
        """Open the lock of `slot` whatever it holds."""
        call = lambda: self.gateway.force_eject(station_id, slot)  # noqa: E731
        return await self._call(station_id, "force eject", call, timeout, True)

    async def inventory(self, station_id: StationId, *, timeout: Timeout = None) -> InventoryReport:
        """The occupied slots."""
        return await self._call(station_id, "inventory", lambda: self.gateway.inventory(station_id), timeout)

    async def restart(self, station_id: StationId, *, timeout: Timeout = None) -> None:
        """Reboot the cabinet."""
        await self._call(station_id, "restart", lambda: self.gateway.restart(station_id), timeout)

    async def read_volume(self, station_id: StationId, *, timeout: Timeout = None) -> int:
        """The voice volume level, 0..15."""
        call = lambda: self.gateway.read_volume(station_id)  # noqa: E731
        return await self._call(station_id, "read volume", call, timeout)

    async def set_volume(self, station_id: StationId, level: int, *, timeout: Timeout = None) -> None:
        """Set the voice volume level, 0..15."""
        call = lambda: self.gateway.set_volume(station_id, level)  # noqa: E731
        await self._call(station_id, "set volume", call, timeout)

    async def read_server_address(self, station_id: StationId, *, timeout: Timeout = None) -> ServerAddress:
        """Where the cabinet dials and its heartbeat period."""
        call = lambda: self.gateway.read_server_address(station_id)  # noqa: E731
        return await self._call(station_id, "read server address", call, timeout)

    async def set_server_address(
        self, station_id: StationId, address: ServerAddress, *, timeout: Timeout = None
    ) -> None:
        """Change where the cabinet dials and its heartbeat period."""
        call = lambda: self.gateway.set_server_address(station_id, address)  # noqa: E731
        await self._call(station_id, "set server address", call, timeout)

    async def read_iccid(self, station_id: StationId, *, timeout: Timeout = None) -> str:
        """The SIM card's ICCID."""
        call = lambda: self.gateway.read_iccid(station_id)  # noqa: E731
        return await self._call(station_id, "read ICCID", call, timeout)

    async def online(self, station_id: StationId) -> bool:
        """Whether the gateway holds a live connection of the cabinet."""
        return self.gateway.online(station_id)

    async def _call(
        self,
        station_id: StationId,
        what: str,
        factory: Callable[[], Awaitable[T]],
        timeout: float | None,
        eject: bool = False,
    ) -> T:
        seconds = self.deadlines.pick(timeout, eject=eject)
        late = CabinetTimeout(f"cabinet {station_id}: {what} not done within its deadline of {seconds:g} s")
        if self._host is not None:
            try:
                return await self._host.run(factory, timeout=seconds, what=f"{what} at {station_id}")
            except DeviceTimeout:
                raise late from None
        try:
            return await bounded(self._clock, seconds, factory())
        except TimeoutError:
            raise late from None
