"""The Modbus I/O driver against the in-process pymodbus simulator over real 127.0.0.1 sockets."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Literal

import pytest

from opsuite.weighbridge.devices.fake import FakeIO
from opsuite.weighbridge.devices.interface import DeviceTimedOut, DeviceUnavailable, IOModule
from opsuite.weighbridge.devices.modbus import (
    GateWiring,
    IOWiring,
    ModbusIO,
    SensorWiring,
    latched_wiring,
    pulsed_wiring,
)
from opsuite.weighbridge.devices.simulators.modbus import ModbusSimulator
from tests.clock import FakeClock

from .conftest import Run
from .helpers import until

Scenario = Callable[[ModbusSimulator, ModbusIO], Awaitable[None]]


async def with_module(
    scenario: Scenario,
    *,
    wiring: IOWiring | None = None,
    framing: Literal["tcp", "rtu"] = "tcp",
    unit_id: int = 1,
    clock: FakeClock | None = None,
    timeout: float = 2.0,
) -> None:
    simulator = ModbusSimulator(unit_id=unit_id, framing=framing)
    port = await simulator.start()
    wiring = wiring or latched_wiring(unit_id=unit_id)
    clock = clock or FakeClock()
    if framing == "tcp":
        io = ModbusIO.tcp("127.0.0.1", port, wiring=wiring, timeout=timeout, clock=clock)
    else:
        io = ModbusIO.rtu(f"socket://127.0.0.1:{port}", wiring=wiring, timeout=timeout, clock=clock)
    try:
        await scenario(simulator, io)
    finally:
        await io.close()
        await simulator.stop()


def test_driver_and_fake_satisfy_the_interface() -> None:
    assert isinstance(ModbusIO.tcp("127.0.0.1", wiring=latched_wiring()), IOModule)
    assert isinstance(FakeIO(), IOModule)


@pytest.mark.parametrize("framing", ["tcp", "rtu"])
def test_latched_gates_write_their_coil_and_read_back(run: Run, framing: Literal["tcp", "rtu"]) -> None:
    async def scenario(simulator: ModbusSimulator, io: ModbusIO) -> None:
        await io.set_gate(1, True)
        await io.set_gate(4, True)
        await io.set_gate(1, False)
        assert simulator.writes == [(0, True), (3, True), (0, False)]
        assert simulator.coils[:4] == [False, False, False, True]
        assert await io.read_gates() == {1: False, 2: False, 3: False, 4: True}

    run(with_module(scenario, framing=framing, unit_id=3))


@pytest.mark.parametrize("framing", ["tcp", "rtu"])
def test_sensors_read_discrete_inputs_0_to_2(run: Run, framing: Literal["tcp", "rtu"]) -> None:
    async def scenario(simulator: ModbusSimulator, io: ModbusIO) -> None:
        assert await io.read_sensors() == (False, False, False)
        simulator.set_sensors(False, True, False)
        assert await io.read_sensors() == (False, True, False)
        simulator.set_sensors(True, True, True, True)
        assert await io.read_sensors() == (True, True, True)

    run(with_module(scenario, framing=framing))


def test_sensor_kinds_and_inversion(run: Run) -> None:
    wiring = IOWiring(
        gates=latched_wiring().gates,
        sensors=(
            SensorWiring(address=5, inverted=True),  # a normally-closed beam: input off means broken
            SensorWiring(address=0, kind="holding_bit", bit=6),  # ADAM style: bit 6 of holding register 0
            SensorWiring(address=9, kind="coil"),
        ),
    )

    async def scenario(simulator: ModbusSimulator, io: ModbusIO) -> None:
        simulator.set_sensors(*[False] * 16)
        assert await io.read_sensors() == (True, False, False)
        simulator.inputs[5] = True
        simulator.inputs[6] = True
        simulator.coils[9] = True
        assert await io.read_sensors() == (False, True, True)

    run(with_module(scenario, wiring=wiring))


def test_pulsed_gates_pulse_the_open_or_close_coil_on_the_clock(run: Run) -> None:
    clock = FakeClock()

    async def scenario(simulator: ModbusSimulator, io: ModbusIO) -> None:
        command = asyncio.ensure_future(io.set_gate(2, True))
        await until(lambda: clock.sleepers > 0)
        assert simulator.writes == [(2, True)]
        assert simulator.coils[2] is True
        clock.advance(seconds=0.75)
        await command
        assert simulator.writes == [(2, True), (2, False)]
        assert await io.read_gates() == {1: False, 2: True, 3: False, 4: False}
        close = asyncio.ensure_future(io.set_gate(2, False))
        await until(lambda: clock.sleepers > 0)
        clock.advance(seconds=0.75)
        await close
        assert simulator.writes[2:] == [(3, True), (3, False)]
        assert await io.read_gates() == {1: False, 2: False, 3: False, 4: False}

    run(with_module(scenario, wiring=pulsed_wiring(pulse_s=0.75), clock=clock))


def test_a_cancelled_pulse_still_releases_its_relay(run: Run) -> None:
    clock = FakeClock()

    async def scenario(simulator: ModbusSimulator, io: ModbusIO) -> None:
        command = asyncio.ensure_future(io.set_gate(1, True))
        await until(lambda: clock.sleepers > 0)
        command.cancel()
        with pytest.raises(asyncio.CancelledError):
            await command
        await until(lambda: len(simulator.writes) >= 2)
        assert simulator.writes == [(0, True), (0, False)]

    run(with_module(scenario, wiring=pulsed_wiring(), clock=clock))


def test_a_module_exception_is_unavailable(run: Run) -> None:
    async def scenario(simulator: ModbusSimulator, io: ModbusIO) -> None:
        simulator.fault = "error"
        with pytest.raises(DeviceUnavailable, match="answered exception code 4"):
            await io.read_sensors()
        with pytest.raises(DeviceUnavailable, match="answered exception code 4"):
            await io.set_gate(1, True)
        simulator.fault = "none"
        assert await io.read_sensors() == (False, False, False)

    run(with_module(scenario))


def test_a_silent_module_times_out(run: Run) -> None:
    async def scenario(simulator: ModbusSimulator, io: ModbusIO) -> None:
        simulator.fault = "silent"
        with pytest.raises(DeviceTimedOut, match=r"did not answer within 0\.3 s"):
            await io.set_gate(1, True)

    run(with_module(scenario, timeout=0.3))


def test_a_wrong_unit_id_is_an_error_not_a_hang(run: Run) -> None:
    async def scenario(simulator: ModbusSimulator, io: ModbusIO) -> None:
        with pytest.raises(DeviceUnavailable, match="unit 7"):
            await io.read_sensors()

    wiring = latched_wiring(unit_id=7)
    run(with_module(scenario, wiring=wiring))


def test_a_refused_connection_is_unavailable_and_the_next_call_reconnects(run: Run) -> None:
    async def scenario() -> None:
        simulator = ModbusSimulator()
        port = await simulator.start()
        await simulator.stop()
        io = ModbusIO.tcp("127.0.0.1", port, wiring=latched_wiring(), timeout=2.0)
        with pytest.raises(
            DeviceUnavailable, match=re.escape(f"127.0.0.1:{port} unit 1 refused the connection")
        ):
            await io.read_sensors()
        await simulator.start(port=port)
        try:
            assert await io.read_sensors() == (False, False, False)
        finally:
            await io.close()
            await simulator.stop()

    run(scenario())


def test_wiring_must_name_four_gates_and_three_sensors() -> None:
    with pytest.raises(ValueError, match="gates"):
        IOWiring(gates={1: GateWiring(0)}, sensors=latched_wiring().sensors)
    with pytest.raises(ValueError, match="3 sensors"):
        IOWiring(gates=latched_wiring().gates, sensors=())


def test_unknown_gate_is_refused_before_any_io(run: Run) -> None:
    async def scenario(simulator: ModbusSimulator, io: ModbusIO) -> None:
        with pytest.raises(ValueError, match="gate must be one of"):
            await io.set_gate(5, True)
        assert simulator.writes == []

    run(with_module(scenario))
