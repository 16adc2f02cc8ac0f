"""The bridge controller: owns one weighbridge's devices on core's device host and runs its state machine.

The indicator, the I/O module and the cameras are long-lived host tasks (restarted with backoff); a
publisher task on the same loop advances the machine, closes gates whose time is up and publishes the
`/process/ws` frame every `frame_interval` seconds and the `/hardware/status` payload on change and at
least every `status_interval` seconds through the live hub. A device failure is shown in the status and
never blocks a weighing. Sync callers (routes, services) use the methods here; each is bounded.
"""

from __future__ import annotations

import asyncio
import logging
import math
import threading
from collections.abc import Awaitable, Callable
from typing import Any

from opsuite.core.clock import Clock
from opsuite.core.devices import DeviceHost, DeviceHostStopped, DeviceTimeout
from opsuite.core.realtime import Hub
from opsuite.weighbridge.config import BridgeConfig
from opsuite.weighbridge.devices.interface import (
    Camera,
    DeviceError,
    DeviceReporter,
    DeviceTimedOut,
    Indicator,
    IOModule,
    IOSnapshot,
    WeightReading,
)
from opsuite.weighbridge.devices.tasks import indicator_task, io_task
from opsuite.weighbridge.process.autoclose import AutoClose
from opsuite.weighbridge.process.errors import HardwareTimedOut, HardwareUnavailable
from opsuite.weighbridge.process.machine import Claim, GateCommand, LeftUnweighed, Limits, Machine
from opsuite.weighbridge.process.site_devices import DeviceFactory, device_keys
from opsuite.weighbridge.process.slot import Slot

log = logging.getLogger(__name__)

PROCESS_TOPIC = "process"
HARDWARE_TOPIC = "hardware"
CAMERAS = (1, 2)
_SLACK_S = 1.0
"""Added to a device's own timeout for the bound of a call from a route."""


class Bridge:
    """One platform: its devices, its state machine, its live feeds."""

    def __init__(
        self,
        config: BridgeConfig,
        *,
        host: DeviceHost,
        hub: Hub,
        clock: Clock,
        factory: DeviceFactory,
        frame_interval: float = 0.2,
        status_interval: float = 1.0,
        retarget: Callable[[BridgeConfig], BridgeConfig] | None = None,
    ) -> None:
        self._retarget = retarget or (lambda same: same)
        config = self._retarget(config)
        self.host = host
        self.hub = hub
        self.clock = clock
        self.factory = factory
        self.frame_interval = frame_interval
        self.status_interval = status_interval
        self._lock = threading.Lock()
        self._config = config
        self.machine = Machine(Limits.of(config))
        self._autoclose = AutoClose(config.gate_close_timeout / 1000)
        self._weight_out = 0.0
        self._last_reading_at = -math.inf
        self._indicator: Slot[Indicator] = Slot(factory.indicator(config, config.scale_port))
        self._indicator_out: Slot[Indicator] = Slot(self._exit_indicator(config))
        self._io: Slot[IOModule] = Slot(factory.io(config))
        self._cameras: dict[int, Slot[Camera]] = {
            camera_id: Slot(self._camera(config, camera_id)) for camera_id in CAMERAS
        }
        self._installed = False
        self._on_left: list[Callable[[LeftUnweighed], None]] = []

    @property
    def config(self) -> BridgeConfig:
        """The settings in force."""
        with self._lock:
            return self._config

    # Life cycle.

    def install(self) -> None:
        """Put the device tasks and the publisher on the host (once; they start with the host)."""
        with self._lock:
            if self._installed:
                return
            self._installed = True
        self.host.add("indicator", self._indicator.task(self._weigh))
        self.host.add("indicator_out", self._indicator_out.task(self._weigh_out))
        self.host.add("io", self._io.task(self._poll))
        for camera_id, slot in self._cameras.items():
            self.host.add(f"camera_{camera_id}", slot.task(self._probe))
        self.host.add("publisher", self._publish)

    def on_left_unweighed(self, listener: Callable[[LeftUnweighed], None]) -> None:
        """Call `listener` (on the host thread) whenever a truck leaves the platform unweighed."""
        self._on_left.append(listener)

    def apply(self, config: BridgeConfig) -> None:
        """Take new settings: limits at once; a device whose settings changed is rebuilt and reconnected."""
        config = self._retarget(config)
        with self._lock:
            before, self._config = device_keys(self._config), config
            self.machine.limits = Limits.of(config)
            self._autoclose.timeout_s = config.gate_close_timeout / 1000
        after = device_keys(config)
        changed = {name for name in after if after[name] != before[name]}
        if "indicator" in changed:
            self._indicator.swap(self.factory.indicator(config, config.scale_port))
        if "indicator_out" in changed:
            self._indicator_out.swap(self._exit_indicator(config))
            self._weight_out = 0.0
        if "io" in changed:
            self._io.swap(self.factory.io(config))
        for camera_id in CAMERAS:
            if f"camera_{camera_id}" in changed:
                self._cameras[camera_id].swap(self._camera(config, camera_id))
        if changed:
            log.info("weighbridge settings applied; reconnecting %s", ", ".join(sorted(changed)))

    # The process, for the services.

    def check_start(self) -> None:
        """Raise ProcessBusy unless a weighing could start now."""
        with self._lock:
            self.machine.check_start()

    def start(self, truck_id: int, truck_number: str) -> None:
        """Begin a weighing and open the entry gate (a gate failure is logged, the weighing goes on)."""
        with self._lock:
            commands = self.machine.start(truck_id, truck_number, self.clock.monotonic())
        self._carry_out(commands)

    def begin_confirm(self, truck_id: int, confirmed_weight: float) -> Claim:
        """Check a confirmation and hold the session for it (ConfirmRefused with the reason otherwise)."""
        with self._lock:
            return self.machine.begin_confirm(truck_id, confirmed_weight)

    def end_confirm(self, claim: Claim, *, recorded: bool) -> None:
        """The confirmation was recorded (the exit gate opens) or not (the session goes on)."""
        with self._lock:
            commands = self.machine.end_confirm(claim, recorded=recorded)
        self._carry_out(commands)

    def abandon(self, truck_id: int) -> None:
        """Undo a start whose visit was not saved: reset, unless another weighing has begun since."""
        with self._lock:
            if self.machine.truck_id != truck_id:
                return
            commands = self.machine.reset()
        self._carry_out(commands)

    def reset(self) -> None:
        """Abort to IDLE and close the process's gates."""
        with self._lock:
            commands = self.machine.reset()
        self._carry_out(commands)

    def frame(self) -> dict[str, Any]:
        """The `/process/ws` message now."""
        with self._lock:
            return self.machine.frame()

    # The hardware, for the hardware routes.

    def status(self) -> dict[str, bool]:
        """`/hardware/status`: the document's keys, plus whether each camera answers."""
        health = {device.name: device.connected for device in self.host.health()}
        with self._lock:
            machine = self.machine
            return {
                "controller": machine.io_connected,
                "gate_1": machine.gates.get(1, False),
                "gate_2": machine.gates.get(2, False),
                "sensor_1": machine.sensors[0],
                "scale_connection": machine.scale_connected,
                "camera_1": health.get("camera_1", False),
                "camera_2": health.get("camera_2", False),
            }

    def weights(self) -> dict[str, float]:
        """`/hardware/scales/current`: the entry (main) platform and the exit platform, if any."""
        with self._lock:
            weight_in = self.machine.weight if self.machine.scale_connected else 0.0
            return {"weight_in": float(weight_in), "weight_out": float(self._weight_out)}

    def command_gate(self, gate: int, is_open: bool) -> None:
        """Open or close a gate now; HardwareUnavailable when the controller cannot do it."""
        config = self.config
        bound = config.io_timeout_s + config.io_pulse_ms / 1000 + _SLACK_S
        command = GateCommand(gate, is_open)
        self._bounded(
            lambda: self._command(command),
            bound,
            down="Контроллер шлагбаумов недоступен",
            late=HardwareUnavailable("Контроллер шлагбаумов не ответил вовремя"),
        )

    def snapshot(self, camera_id: int) -> bytes:
        """One JPEG from camera 1 (entry) or 2 (exit); HardwareUnavailable or HardwareTimedOut otherwise."""
        camera = self._cameras[camera_id].device
        if camera is None:
            raise HardwareUnavailable(f"Камера {camera_id} не настроена")
        bound = self.config.camera_timeout_s + _SLACK_S
        image: bytes = self._bounded(
            camera.snapshot,
            bound,
            down=f"Камера {camera_id} недоступна",
            late=HardwareTimedOut(f"Камера {camera_id} не ответила вовремя"),
        )
        return image

    async def snapshot_async(self, camera_id: int) -> bytes | None:
        """On the host loop: one JPEG from a camera, None when it is absent or fails (logged)."""
        camera = self._cameras[camera_id].device
        if camera is None:
            return None
        try:
            return await camera.snapshot()
        except DeviceError as error:
            log.warning("camera %d snapshot failed: %s", camera_id, error)
            return None

    def spawn(self, factory: Callable[[], Awaitable[object]]) -> None:
        """Run `factory()` on the host loop without waiting (a background snapshot); dropped when stopped."""
        try:
            loop = self.host.loop
        except DeviceHostStopped:
            log.warning("device host stopped; background device work dropped")
            return

        async def guarded() -> None:
            try:
                await factory()
            except Exception:
                log.exception("background device work failed")

        asyncio.run_coroutine_threadsafe(guarded(), loop)

    # Host tasks.

    async def _weigh(self, indicator: Indicator, ctx: DeviceReporter) -> None:
        await indicator_task(indicator, self._on_reading)(ctx)

    async def _weigh_out(self, indicator: Indicator, ctx: DeviceReporter) -> None:
        def exit_reading(reading: WeightReading) -> None:
            self._weight_out = reading.kg

        try:
            await indicator_task(indicator, exit_reading)(ctx)
        finally:
            self._weight_out = 0.0

    async def _poll(self, io: IOModule, ctx: DeviceReporter) -> None:
        try:
            await io_task(io, self._on_io, interval=self.config.io_poll_s)(ctx)
        finally:
            with self._lock:
                self.machine.io_lost(self.clock.monotonic())

    async def _probe(self, camera: Camera, ctx: DeviceReporter) -> None:
        while True:
            await camera.snapshot()
            ctx.frame()
            await self.clock.sleep(self.config.camera_probe_s)

    async def _publish(self, ctx: DeviceReporter) -> None:
        ctx.connected()
        last_status: dict[str, bool] | None = None
        last_status_at = -math.inf
        while True:
            now = self.clock.monotonic()
            closing, left = self._tick(now)
            self._carry_out([GateCommand(gate, False) for gate in closing])
            self._tell_left(left)
            self.hub.publish(PROCESS_TOPIC, self.frame())
            status = self.status()
            if status != last_status or now - last_status_at >= self.status_interval:
                self.hub.publish(HARDWARE_TOPIC, status)
                last_status, last_status_at = status, now
            await self.clock.sleep(self.frame_interval)

    def _tick(self, now: float) -> tuple[list[int], list[LeftUnweighed]]:
        with self._lock:
            machine = self.machine
            if machine.scale_connected and now - self._last_reading_at >= self._config.scale_disconnect_s:
                left = machine.scale_lost(now)
            else:
                left = machine.advance(now)
            closing = (
                self._autoclose.due(machine.gates, any(machine.sensors), now) if machine.io_connected else []
            )
        return closing, left

    def _on_reading(self, reading: WeightReading) -> None:
        now = self.clock.monotonic()
        with self._lock:
            self._last_reading_at = now
            left = self.machine.reading(reading.kg, reading.stable, now)
        self._tell_left(left)

    def _on_io(self, snapshot: IOSnapshot) -> None:
        with self._lock:
            left = self.machine.io(snapshot.sensors, snapshot.gates, self.clock.monotonic())
        self._tell_left(left)

    def _tell_left(self, left: list[LeftUnweighed]) -> None:
        for gone in left:
            log.info(
                "truck %s (%s) left the platform unweighed; process reset", gone.truck_id, gone.truck_number
            )
            for listener in self._on_left:
                listener(gone)

    # Gates.

    async def _command(self, command: GateCommand) -> None:
        io = self._io.device
        if io is None:
            raise HardwareUnavailable("Контроллер шлагбаумов не настроен")
        await io.set_gate(command.gate, command.is_open)
        with self._lock:
            self.machine.gate_commanded(command)
            if command.is_open:
                self._autoclose.opened(command.gate, self.clock.monotonic())
            else:
                self._autoclose.closed(command.gate)

    def _carry_out(self, commands: list[GateCommand]) -> None:
        for command in commands:
            self.spawn(lambda command=command: self._quiet_command(command))  # type: ignore[misc]

    async def _quiet_command(self, command: GateCommand) -> None:
        try:
            await self._command(command)
        except (DeviceError, HardwareUnavailable, TimeoutError) as error:
            log.warning("gate %d %s failed: %s", command.gate, "open" if command.is_open else "close", error)

    def _bounded(
        self, factory: Callable[[], Awaitable[Any]], bound: float, *, down: str, late: Exception
    ) -> Any:
        try:
            return self.host.call(factory, timeout=bound, what=down)
        except (DeviceTimeout, DeviceTimedOut) as error:
            raise late from error
        except DeviceHostStopped as error:
            raise HardwareUnavailable("Оборудование весовой не запущено в этом процессе") from error
        except DeviceError as error:
            raise HardwareUnavailable(f"{down}: {error}") from error

    def _exit_indicator(self, config: BridgeConfig) -> Indicator | None:
        return self.factory.indicator(config, config.scale_out_port) if config.scale_out_port else None

    def _camera(self, config: BridgeConfig, camera_id: int) -> Camera | None:
        address = config.camera_address(camera_id)
        return self.factory.camera(config, address) if address else None
