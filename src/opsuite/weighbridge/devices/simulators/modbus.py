"""A Modbus I/O module in process: pymodbus 3.16 `SimDevice` server on 127.0.0.1, TCP or RTU framing.

Map (protocol addresses, unit `unit_id`): coils 0-15 are relays (the latched wiring puts gates 1-4 on
coils 0-3, the pulsed one gate n on coils 2(n-1) and 2(n-1)+1); discrete inputs 0-15 are sensors
(0-2 the platform beams); holding register 0 carries the same inputs as a bitmask, ADAM style.
The simulator's lists are the truth: an `action` callback copies them into pymodbus' registers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Literal

from pymodbus.constants import ExcCodes
from pymodbus.framer import FramerType
from pymodbus.server import ModbusTcpServer
from pymodbus.simulator import DataType, SimData, SimDevice

BITS = 16
ModbusFault = Literal["none", "error", "silent"]

_READ_COILS = 1
_READ_INPUTS = 2
_READ_HOLDING = 3
_WRITE_COIL = 5
_WRITE_COILS = 15


def _pack(bits: Sequence[bool]) -> int:
    return sum(1 << index for index, bit in enumerate(bits) if bit)


class ModbusSimulator:
    """An I/O module the test can see into: coil writes are recorded, sensors are set directly."""

    def __init__(self, *, unit_id: int = 1, framing: Literal["tcp", "rtu"] = "tcp") -> None:
        self.unit_id = unit_id
        self._framer = FramerType.SOCKET if framing == "tcp" else FramerType.RTU
        self.coils = [False] * BITS
        self.inputs = [False] * BITS
        self.writes: list[tuple[int, bool]] = []
        """Every coil write as (address, value), in order."""
        self.fault: ModbusFault = "none"
        self._release = asyncio.Event()
        self._server: ModbusTcpServer | None = None
        self._port = 0

    @property
    def port(self) -> int:
        """The TCP port it listens on (after start)."""
        if self._server is None:
            raise RuntimeError("the Modbus simulator is not running")
        return self._port

    def set_sensors(self, *active: bool) -> None:
        """Set discrete inputs 0.. to `active`."""
        self.inputs[: len(active)] = active

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        """Listen; returns the port."""
        blocks = (
            [SimData(0, count=1, datatype=DataType.BITS)],
            [SimData(0, count=1, datatype=DataType.BITS)],
            [SimData(0, count=1, datatype=DataType.REGISTERS)],
            [SimData(0, count=1, datatype=DataType.REGISTERS)],
        )
        device = SimDevice(id=self.unit_id, simdata=blocks, action=self._action)
        self._release = asyncio.Event()
        server = ModbusTcpServer(device, framer=self._framer, address=(host, port))
        await server.listen()
        self._server = server
        # pymodbus types its listener as a bare transport; for TCP it is the loop's server, asyncio's or
        # uvloop's (`opsuite serve` runs on uvloop, whose server is no `asyncio.Server`).
        listener: asyncio.AbstractServer = server.transport  # type: ignore[assignment]
        self._port = listener.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        return self._port

    async def stop(self) -> None:
        """Stop listening, releasing any request held by the `silent` fault."""
        self._release.set()
        if self._server is not None:
            await self._server.shutdown()  # type: ignore[no-untyped-call]
            self._server = None

    async def _action(
        self,
        function_code: int,
        _start: int,
        address: int,
        _count: int,
        registers: list[int],
        values: list[int] | list[bool] | None,
    ) -> ExcCodes | None:
        if self.fault == "silent":
            await self._release.wait()
        if self.fault != "none":
            return ExcCodes.DEVICE_FAILURE
        if function_code in (_WRITE_COIL, _WRITE_COILS) and values is not None:
            for offset, value in enumerate(values):
                self.coils[address + offset] = bool(value)
                self.writes.append((address + offset, bool(value)))
        if function_code in (_READ_COILS, _WRITE_COIL, _WRITE_COILS):
            registers[0] = _pack(self.coils)
        elif function_code in (_READ_INPUTS, _READ_HOLDING):
            registers[0] = _pack(self.inputs)
        return None
