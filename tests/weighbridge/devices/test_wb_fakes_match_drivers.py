"""The fakes behave as the real drivers do through the interface: one scenario, run on both."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass

import pytest

from opsuite.weighbridge.devices.camera import HttpCamera
from opsuite.weighbridge.devices.fake import FakeCamera, FakeIndicator, FakeIO
from opsuite.weighbridge.devices.frames.formats import parser_for
from opsuite.weighbridge.devices.indicator import SerialIndicator
from opsuite.weighbridge.devices.interface import (
    Camera,
    DeviceError,
    DeviceUnavailable,
    Indicator,
    IOModule,
    WeightReading,
)
from opsuite.weighbridge.devices.modbus import ModbusIO, latched_wiring
from opsuite.weighbridge.devices.simulators.camera import SAMPLE_JPEG, CameraSimulator
from opsuite.weighbridge.devices.simulators.indicator import IndicatorSimulator
from opsuite.weighbridge.devices.simulators.modbus import ModbusSimulator
from tests.clock import DEFAULT_START, FakeClock

from .conftest import Run
from .helpers import first


@dataclass
class IORig:
    io: IOModule
    set_sensors: Callable[..., None]
    break_it: Callable[[], None]


@asynccontextmanager
async def fake_io() -> AsyncIterator[IORig]:
    io = FakeIO()

    def set_sensors(*active: bool) -> None:
        io.sensors = active

    def break_it() -> None:
        io.error = DeviceUnavailable("module down")

    yield IORig(io, set_sensors, break_it)


@asynccontextmanager
async def modbus_io() -> AsyncIterator[IORig]:
    simulator = ModbusSimulator()
    port = await simulator.start()
    io = ModbusIO.tcp("127.0.0.1", port, wiring=latched_wiring(), timeout=2.0)

    def break_it() -> None:
        simulator.fault = "error"

    try:
        yield IORig(io, simulator.set_sensors, break_it)
    finally:
        await io.close()
        await simulator.stop()


@pytest.mark.parametrize("make", [fake_io, modbus_io], ids=["fake", "modbus"])
def test_io_module(run: Run, make: Callable[[], AbstractAsyncContextManager[IORig]]) -> None:
    async def scenario() -> None:
        async with make() as rig:
            await rig.io.set_gate(1, True)
            await rig.io.set_gate(3, True)
            await rig.io.set_gate(1, False)
            assert await rig.io.read_gates() == {1: False, 2: False, 3: True, 4: False}
            rig.set_sensors(False, True, False)
            assert await rig.io.read_sensors() == (False, True, False)
            with pytest.raises(ValueError, match="gate must be one of"):
                await rig.io.set_gate(0, True)
            rig.break_it()
            with pytest.raises(DeviceUnavailable):
                await rig.io.read_sensors()

    run(scenario())


@dataclass
class CameraRig:
    camera: Camera
    break_it: Callable[[], None]


@asynccontextmanager
async def fake_camera() -> AsyncIterator[CameraRig]:
    camera = FakeCamera(SAMPLE_JPEG)

    def break_it() -> None:
        camera.error = DeviceUnavailable("camera answered HTTP 500")

    yield CameraRig(camera, break_it)


@asynccontextmanager
async def http_camera() -> AsyncIterator[CameraRig]:
    simulator = CameraSimulator()
    await simulator.start()

    def break_it() -> None:
        simulator.mode = "error"

    try:
        yield CameraRig(HttpCamera(simulator.url(), username="admin", password="admin12345"), break_it)
    finally:
        await simulator.stop()


@pytest.mark.parametrize("make", [fake_camera, http_camera], ids=["fake", "http"])
def test_camera(run: Run, make: Callable[[], AbstractAsyncContextManager[CameraRig]]) -> None:
    async def scenario() -> None:
        async with make() as rig:
            assert await rig.camera.snapshot() == SAMPLE_JPEG
            rig.break_it()
            with pytest.raises(DeviceUnavailable, match="camera answered HTTP 500"):
                await rig.camera.snapshot()

    run(scenario())


@dataclass
class IndicatorRig:
    indicator: Indicator
    set_weight: Callable[[float, bool], None]
    break_it: Callable[[], Awaitable[None]]


@asynccontextmanager
async def fake_indicator() -> AsyncIterator[IndicatorRig]:
    indicator = FakeIndicator(clock=FakeClock())

    def set_weight(kg: float, stable: bool) -> None:
        indicator.set(kg, stable=stable)

    async def break_it() -> None:
        indicator.fail(DeviceUnavailable("socket disconnected"))

    yield IndicatorRig(indicator, set_weight, break_it)


@asynccontextmanager
async def serial_indicator() -> AsyncIterator[IndicatorRig]:
    simulator = IndicatorSimulator("cas", interval=0.01)
    await simulator.start()
    indicator = SerialIndicator(simulator.url, parser_for("cas"), read_timeout=0.05, clock=FakeClock())

    def set_weight(kg: float, stable: bool) -> None:
        simulator.set(kg, stable=stable)

    try:
        yield IndicatorRig(indicator, set_weight, simulator.drop_clients)
    finally:
        await simulator.stop()


@pytest.mark.parametrize("make", [fake_indicator, serial_indicator], ids=["fake", "serial"])
def test_indicator(run: Run, make: Callable[[], AbstractAsyncContextManager[IndicatorRig]]) -> None:
    async def scenario() -> None:
        async with make() as rig:
            assert rig.indicator.latest() is None
            rig.set_weight(24500.0, True)
            stream = rig.indicator.readings()
            reading = WeightReading(kg=24500.0, stable=True, at=DEFAULT_START)
            assert await first(stream) == [reading]
            assert rig.indicator.latest() == reading
            await rig.break_it()
            with pytest.raises(DeviceError, match="socket disconnected"):
                async for _ in stream:
                    pass

    run(scenario())
