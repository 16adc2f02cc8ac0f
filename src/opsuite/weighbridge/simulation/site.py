"""A simulated weighbridge site on 127.0.0.1: the indicator, the Modbus I/O module and the two cameras.

`opsuite serve` starts one, so the whole process runs on a laptop; the control API drives a truck on
and off the platform and injects faults. The site's state is plain attributes of the simulators, so
sync routes set it from any thread.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Literal, get_args

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.weighbridge.config import SIMULATOR_HOST, SIMULATOR_PORTS, BridgeConfig
from opsuite.weighbridge.devices.simulators.camera import CameraMode, CameraSimulator
from opsuite.weighbridge.devices.simulators.indicator import IndicatorFault, IndicatorSimulator
from opsuite.weighbridge.devices.simulators.modbus import ModbusFault, ModbusSimulator

SimulatedDevice = Literal["scale", "controller", "camera_1", "camera_2", "indicator", "modbus"]
FAULTS: dict[str, tuple[str, ...]] = {
    "indicator": get_args(IndicatorFault),
    "modbus": get_args(ModbusFault),
    "camera_1": get_args(CameraMode),
    "camera_2": get_args(CameraMode),
}
"""Each simulated device and the faults it can show (`none`/`ok` is healthy)."""

DEVICE_NAMES = {"scale": "indicator", "controller": "modbus"}
"""The issue's (and the operator page's) device names -> the simulator's."""

_CAMERA_WORDS = {"none": "ok", "silent": "slow", "noise": "not_jpeg", "disconnect": "error"}
FAULT_WORDS: dict[str, dict[str, str]] = {
    # A serial line has no connection to lose: a pulled cable is silence, and the scale is shown disconnected.
    "indicator": {"disconnect": "silent"},
    # Noise on the bus answers with Modbus exceptions; a dropped module stops answering.
    "modbus": {"noise": "error", "disconnect": "silent"},
    "camera_1": _CAMERA_WORDS,
    "camera_2": _CAMERA_WORDS,
}
"""The common words `none | silent | noise | disconnect` -> each simulator's own fault."""

POSITIONED = (False, True, False)
"""A truck fully on the platform breaks only the middle beam."""


class UnknownFault(ValueError):
    """A fault the device does not have."""


@dataclass
class SimulatedSite:
    """The four simulators of one weighbridge; ports 0 pick free ones."""

    host: str = SIMULATOR_HOST
    ports: dict[str, int] = field(default_factory=lambda: dict(SIMULATOR_PORTS))
    clock: Clock = SYSTEM_CLOCK
    config: BridgeConfig = field(default_factory=BridgeConfig)
    indicator: IndicatorSimulator = field(init=False)
    modbus: ModbusSimulator = field(init=False)
    cameras: dict[int, CameraSimulator] = field(init=False)
    running: bool = False

    def __post_init__(self) -> None:
        self.indicator = IndicatorSimulator(
            self.config.scale_protocol, decimals=self.config.scale_decimals, clock=self.clock
        )
        self.modbus = ModbusSimulator(unit_id=self.config.io_unit_id)
        password = self.config.camera_password.get_secret_value()
        self.cameras = {
            camera_id: CameraSimulator(
                username=self.config.camera_user or "admin", password=password, auth=self.config.camera_auth
            )
            for camera_id in (1, 2)
        }

    async def start(self) -> None:
        """Listen on the site's ports; when one is taken (another site runs), on free ports instead."""
        try:
            await self._listen(self.ports)
        except OSError:
            await self._listen(dict.fromkeys(self.ports, 0))

    async def _listen(self, ports: dict[str, int]) -> None:
        started: list[IndicatorSimulator | ModbusSimulator | CameraSimulator] = []
        try:
            await self.indicator.start(self.host, ports["indicator"])
            started.append(self.indicator)
            await self.modbus.start(self.host, ports["modbus"])
            started.append(self.modbus)
            for camera_id, camera in self.cameras.items():
                await camera.start(self.host, ports[f"camera_{'in' if camera_id == 1 else 'out'}"])
                started.append(camera)
        except BaseException:
            await asyncio.gather(*(simulator.stop() for simulator in started), return_exceptions=True)
            raise
        self.running = True

    async def stop(self) -> None:
        """Stop every simulator."""
        self.running = False
        await self.indicator.stop()
        await self.modbus.stop()
        for camera in self.cameras.values():
            await camera.stop()

    def retarget(self, config: BridgeConfig) -> BridgeConfig:
        """`config` with each address naming a default simulator port turned to where this site listens."""
        defaults = BridgeConfig()
        changes: dict[str, object] = {}
        if config.scale_port == defaults.scale_port:
            changes["scale_port"] = self.indicator.url
        if (config.io_transport, config.io_host, config.io_port) == (
            "tcp",
            defaults.io_host,
            defaults.io_port,
        ):
            changes["io_port"] = self.modbus.port
        for key, camera_id in (("camera_in_ip", 1), ("camera_out_ip", 2)):
            if getattr(config, key) == getattr(defaults, key):
                changes[key] = f"{self.host}:{self.cameras[camera_id].port}"
        return config.merged(changes) if changes else config

    def truck_on(self, weight: float) -> None:
        """A truck stands on the platform, fully positioned, showing `weight` kg."""
        self.indicator.set(weight)
        self.modbus.set_sensors(*POSITIONED)

    def truck_off(self) -> None:
        """The platform is empty and every beam clear."""
        self.indicator.set(0.0)
        self.modbus.set_sensors(False, False, False)

    def fault(self, device: SimulatedDevice, fault: str) -> None:
        """Make a device misbehave (`none`/`ok` heals it); UnknownFault for a fault it does not have."""
        device = DEVICE_NAMES.get(device, device)  # type: ignore[assignment]
        fault = FAULT_WORDS[device].get(fault, fault)
        if fault not in FAULTS[device]:
            raise UnknownFault(
                f"У устройства {device} нет режима {fault!r}; есть: {', '.join(FAULTS[device])}"
            )
        if device == "indicator":
            self.indicator.fault = fault  # type: ignore[assignment]
        elif device == "modbus":
            self.modbus.fault = fault  # type: ignore[assignment]
        else:
            self.cameras[1 if device == "camera_1" else 2].mode = fault  # type: ignore[assignment]
