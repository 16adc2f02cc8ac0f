"""The bridge's devices built from its settings: the real drivers, or whatever a test's factory hands back."""

from __future__ import annotations

import asyncio
from typing import Protocol

from opsuite.core.clock import Clock
from opsuite.weighbridge.config import BridgeConfig
from opsuite.weighbridge.devices.camera import DAHUA_SNAPSHOT, HIKVISION_SNAPSHOT, HttpCamera
from opsuite.weighbridge.devices.frames.formats import parser_for
from opsuite.weighbridge.devices.indicator import SerialIndicator, StabilityWindow
from opsuite.weighbridge.devices.interface import GATES, Camera, Indicator, IOModule
from opsuite.weighbridge.devices.modbus import GateWiring, IOWiring, ModbusIO, SensorWiring

SNAPSHOT_PATHS = {"hikvision": HIKVISION_SNAPSHOT, "dahua": DAHUA_SNAPSHOT, "generic": "/snapshot.jpg"}

INDICATOR_KEYS = (
    "scale_protocol",
    "scale_baudrate",
    "scale_bytesize",
    "scale_parity",
    "scale_stopbits",
    "scale_decimals",
    "scale_regex",
    "scale_disconnect_s",
    "stable_tolerance_kg",
    "stable_duration_s",
    "min_weight_kg",
)
"""Settings of both indicators; each also has its own port (`scale_port`, `scale_out_port`)."""
CAMERA_KEYS = (
    "camera_vendor",
    "camera_path",
    "camera_user",
    "camera_password",
    "camera_auth",
    "camera_timeout_s",
)
"""Settings of both cameras; each also has its own address (`camera_in_ip`, `camera_out_ip`)."""


def device_keys(config: BridgeConfig) -> dict[str, tuple[object, ...]]:
    """Per device, the settings it is built from: a device whose tuple changed is built again."""
    values = config.model_dump()
    indicator = tuple(values[key] for key in INDICATOR_KEYS)
    camera = (*(values[key] for key in CAMERA_KEYS), config.camera_password.get_secret_value())
    return {
        "indicator": (config.scale_port, *indicator),
        "indicator_out": (config.scale_out_port, *indicator),
        "io": tuple(value for key, value in values.items() if key.startswith("io_")),
        "camera_1": (config.camera_in_ip, *camera),
        "camera_2": (config.camera_out_ip, *camera),
    }


class DeviceFactory(Protocol):
    """Builds each device of a bridge from its settings."""

    def indicator(self, config: BridgeConfig, port: str) -> Indicator:
        """The indicator on `port` (the entry scale's or the exit scale's)."""
        ...

    def io(self, config: BridgeConfig) -> IOModule:
        """The I/O module."""
        ...

    def camera(self, config: BridgeConfig, address: str) -> Camera:
        """The camera at `address` (host or host:port)."""
        ...


class SiteDevices:
    """The real drivers: pyserial indicator, pymodbus I/O module, httpx cameras."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    def indicator(self, config: BridgeConfig, port: str) -> Indicator:
        """A SerialIndicator with the configured frame format and software stability window."""
        parser = parser_for(
            config.scale_protocol, pattern=config.scale_regex, scale=10.0**-config.scale_decimals
        )
        window = StabilityWindow(
            tolerance_kg=config.stable_tolerance_kg,
            duration_s=config.stable_duration_s,
            min_kg=config.min_weight_kg,
        )
        return SerialIndicator(
            port,
            parser,
            baudrate=config.scale_baudrate,
            bytesize=config.scale_bytesize,
            parity=config.scale_parity,
            stopbits=config.scale_stopbits,
            frame_timeout=config.scale_disconnect_s,
            window=window,
            clock=self.clock,
        )

    def io(self, config: BridgeConfig) -> IOModule:
        """A ModbusIO over TCP or RTU with the configured point map."""
        wiring = io_wiring(config)
        if config.io_transport == "rtu":
            return SerialisedIO(
                ModbusIO.rtu(
                    config.io_serial_port,
                    wiring=wiring,
                    baudrate=config.io_baudrate,
                    timeout=config.io_timeout_s,
                    clock=self.clock,
                )
            )
        return SerialisedIO(
            ModbusIO.tcp(
                config.io_host, config.io_port, wiring=wiring, timeout=config.io_timeout_s, clock=self.clock
            )
        )

    def camera(self, config: BridgeConfig, address: str) -> Camera:
        """An HttpCamera on the vendor's snapshot path (or the configured one)."""
        path = config.camera_path or SNAPSHOT_PATHS[config.camera_vendor]
        return HttpCamera(
            f"http://{address}{path}",
            username=config.camera_user,
            password=config.camera_password.get_secret_value(),
            auth=config.camera_auth,
            timeout=config.camera_timeout_s,
        )


def io_wiring(config: BridgeConfig) -> IOWiring:
    """The Modbus point map the settings describe."""
    pulsed = config.io_gate_wiring == "pulsed"
    gates = {
        gate: GateWiring(
            open_coil=config.io_gate_open_coils[index],
            close_coil=config.io_gate_close_coils[index] if pulsed else None,
            pulse_s=config.io_pulse_ms / 1000,
        )
        for index, gate in enumerate(GATES)
    }
    holding = config.io_sensor_kind == "holding_bit"
    sensors = tuple(
        SensorWiring(
            address=config.io_sensor_register if holding else address,
            kind=config.io_sensor_kind,
            bit=address if holding else 0,
            inverted=inverted,
        )
        for address, inverted in zip(config.io_sensor_addresses, config.io_sensor_inverted, strict=True)
    )
    return IOWiring(gates=gates, sensors=sensors, unit_id=config.io_unit_id)


class SerialisedIO:
    """One request at a time on the module: the poll and a gate command never interleave on one link."""

    def __init__(self, io: IOModule) -> None:
        self.inner = io
        self._lock: asyncio.Lock | None = None

    @property
    def lock(self) -> asyncio.Lock:
        """The lock, made on the loop that first uses it (the device host's)."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        return self._lock

    async def read_sensors(self) -> tuple[bool, ...]:
        """The sensors, `True` = active."""
        async with self.lock:
            return await self.inner.read_sensors()

    async def set_gate(self, gate: int, is_open: bool) -> None:
        """Command a gate."""
        async with self.lock:
            await self.inner.set_gate(gate, is_open)

    async def read_gates(self) -> dict[int, bool]:
        """Gate id -> open."""
        async with self.lock:
            return await self.inner.read_gates()

    async def close(self) -> None:
        """Drop the connection."""
        async with self.lock:
            await self.inner.close()
