"""Gates and position sensors on a Modbus I/O module through pymodbus 3.16 (RTU over a serial URL, or TCP).

The point map follows the field wiring: each gate is either one latched coil (on = open) or two
coils pulsed for `pulse_s` (open, close); each sensor is a discrete input (FC02), a coil (FC01) or a
bit of a holding register (FC03, ADAM style), optionally inverted. Addresses are protocol addresses:
"coil 00001" on a label is address 0.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Literal

from pymodbus.client import AsyncModbusSerialClient, AsyncModbusTcpClient
from pymodbus.client.base import ModbusBaseClient
from pymodbus.exceptions import ModbusException
from pymodbus.framer import FramerType
from pymodbus.pdu import ModbusPDU

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.weighbridge.devices.interface import GATES, SENSOR_COUNT, DeviceTimedOut, DeviceUnavailable

SensorKind = Literal["discrete_input", "coil", "holding_bit"]


@dataclass(frozen=True)
class GateWiring:
    """One gate: a latched coil (`close_coil` None) or a pair of pulsed coils."""

    open_coil: int
    close_coil: int | None = None
    pulse_s: float = 0.5


@dataclass(frozen=True)
class SensorWiring:
    """One position sensor: where it reads, and whether the module reports it inverted."""

    address: int
    kind: SensorKind = "discrete_input"
    bit: int = 0
    """Bit of the holding register, for `holding_bit`."""
    inverted: bool = False


@dataclass(frozen=True)
class IOWiring:
    """The module's point map: gates 1-4, three sensors, and the unit id on the bus."""

    gates: Mapping[int, GateWiring]
    sensors: tuple[SensorWiring, ...]
    unit_id: int = 1

    def __post_init__(self) -> None:
        if sorted(self.gates) != list(GATES):
            raise ValueError(f"the wiring must map gates {GATES}, got {sorted(self.gates)}")
        if len(self.sensors) != SENSOR_COUNT:
            raise ValueError(f"the wiring must map {SENSOR_COUNT} sensors, got {len(self.sensors)}")


def latched_wiring(*, unit_id: int = 1) -> IOWiring:
    """A 4-relay module: gate n on coil n-1 (on = open), sensors on discrete inputs 0-2."""
    return IOWiring(
        gates={gate: GateWiring(open_coil=gate - 1) for gate in GATES},
        sensors=tuple(SensorWiring(address=index) for index in range(SENSOR_COUNT)),
        unit_id=unit_id,
    )


def pulsed_wiring(*, unit_id: int = 1, pulse_s: float = 0.5) -> IOWiring:
    """An 8-relay module: gate n opens on coil 2(n-1) and closes on coil 2(n-1)+1, sensors on inputs 0-2."""
    return IOWiring(
        gates={gate: GateWiring(2 * (gate - 1), 2 * (gate - 1) + 1, pulse_s) for gate in GATES},
        sensors=tuple(SensorWiring(address=index) for index in range(SENSOR_COUNT)),
        unit_id=unit_id,
    )


@dataclass
class ModbusIO:
    """The I/O module behind a pymodbus client; every call is bounded by `timeout`, fails as DeviceError.

    pymodbus binds a client to the running loop when it is built, so the client is made on first use,
    on the loop that uses it (the device host's), and made again after `close`.
    """

    make_client: Callable[[], ModbusBaseClient]
    wiring: IOWiring
    where: str
    timeout: float = 1.0
    clock: Clock = SYSTEM_CLOCK
    _client: ModbusBaseClient | None = None
    _commanded: dict[int, bool] = field(default_factory=dict)

    @classmethod
    def tcp(
        cls,
        host: str,
        port: int = 502,
        *,
        wiring: IOWiring,
        timeout: float = 1.0,
        clock: Clock = SYSTEM_CLOCK,
    ) -> ModbusIO:
        """A Modbus TCP module (ADAM-6000 style)."""
        client = partial(AsyncModbusTcpClient, host, port=port, timeout=timeout, retries=0, reconnect_delay=0)
        return cls(client, wiring, f"{host}:{port} unit {wiring.unit_id}", timeout, clock)

    @classmethod
    def rtu(
        cls,
        url: str,
        *,
        wiring: IOWiring,
        baudrate: int = 9600,
        parity: str = "N",
        stopbits: int = 1,
        timeout: float = 1.0,
        clock: Clock = SYSTEM_CLOCK,
    ) -> ModbusIO:
        """A Modbus RTU module on an RS-485 port or a pyserial URL (`socket://gateway:4001`)."""
        client = partial(
            AsyncModbusSerialClient,
            url,
            framer=FramerType.RTU,
            baudrate=baudrate,
            parity=parity,
            stopbits=stopbits,
            timeout=timeout,
            retries=0,
            reconnect_delay=0,
        )
        return cls(client, wiring, f"{url} unit {wiring.unit_id}", timeout, clock)

    @property
    def client(self) -> ModbusBaseClient:
        """The pymodbus client, made on first use."""
        if self._client is None:
            self._client = self.make_client()
        return self._client

    async def read_sensors(self) -> tuple[bool, ...]:
        """The position sensors, `True` meaning active, after inversion."""
        return tuple([await self._read_sensor(sensor) for sensor in self.wiring.sensors])

    async def set_gate(self, gate: int, is_open: bool) -> None:
        """Command a gate: switch its latched coil, or pulse its open or close coil."""
        wiring = self._gate(gate)
        if wiring.close_coil is None:
            await self._write_coil(wiring.open_coil, is_open)
        else:
            coil = wiring.open_coil if is_open else wiring.close_coil
            await self._write_coil(coil, True)
            try:
                await self.clock.sleep(wiring.pulse_s)
            finally:
                # A relay left on would hold the barrier's input; release it even when cancelled.
                await asyncio.shield(self._write_coil(coil, False))
        self._commanded[gate] = is_open

    async def read_gates(self) -> dict[int, bool]:
        """Gate id -> open: latched coils read back, pulsed gates as last commanded (closed before any)."""
        states: dict[int, bool] = {}
        for gate, wiring in sorted(self.wiring.gates.items()):
            if wiring.close_coil is None:
                states[gate] = (await self._bits(self.client.read_coils, wiring.open_coil))[0]
            else:
                states[gate] = self._commanded.get(gate, False)
        return states

    async def close(self) -> None:
        """Drop the connection; the next call reconnects."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def _gate(self, gate: int) -> GateWiring:
        if gate not in self.wiring.gates:
            raise ValueError(f"gate must be one of {GATES}, got {gate}")
        return self.wiring.gates[gate]

    async def _read_sensor(self, sensor: SensorWiring) -> bool:
        if sensor.kind == "holding_bit":
            unit = self.wiring.unit_id
            response = await self._call(
                lambda: self.client.read_holding_registers(sensor.address, count=1, device_id=unit)
            )
            active = bool(response.registers[0] >> sensor.bit & 1)
        else:
            read = (
                self.client.read_discrete_inputs
                if sensor.kind == "discrete_input"
                else self.client.read_coils
            )
            active = (await self._bits(read, sensor.address))[0]
        return active != sensor.inverted

    async def _bits(self, read: Callable[..., Awaitable[ModbusPDU]], address: int) -> list[bool]:
        response = await self._call(lambda: read(address, count=1, device_id=self.wiring.unit_id))
        return list(response.bits)

    async def _write_coil(self, address: int, value: bool) -> None:
        await self._call(lambda: self.client.write_coil(address, value, device_id=self.wiring.unit_id))

    async def _call(self, request: Callable[[], Awaitable[ModbusPDU]]) -> ModbusPDU:
        try:
            async with asyncio.timeout(self.timeout):
                if not self.client.connected and not await self.client.connect():
                    raise DeviceUnavailable(f"Modbus module {self.where} refused the connection")
                response = await request()
        except TimeoutError as exc:
            raise DeviceTimedOut(
                f"Modbus module {self.where} did not answer within {self.timeout} s"
            ) from exc
        except ModbusException as exc:
            raise DeviceUnavailable(f"Modbus module {self.where}: {exc}") from exc
        if response.isError():
            raise DeviceUnavailable(
                f"Modbus module {self.where} answered exception code {response.exception_code}"
            )
        return response
