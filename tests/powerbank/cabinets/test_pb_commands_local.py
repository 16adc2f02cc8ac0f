"""Cabinet commands on a gateway of this process: answers, deadlines, the device host's loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from opsuite.core.devices import DeviceHost
from opsuite.powerbank.cabinets.commands import Deadlines, LocalCabinetCommands
from opsuite.powerbank.devices import protocol as p
from opsuite.powerbank.devices.interface import CabinetOffline, CabinetTimeout, EjectResult
from opsuite.powerbank.devices.simulator import Fault
from tests.powerbank.devices.rig import BANK_1, BANK_3, BOX, OTHER_BOX, rig, settle, until

Run = Callable[[Coroutine[Any, Any, Any]], Any]


def test_commands_reach_the_cabinet_and_answer_its_values(run: Run) -> None:
    async def scenario() -> None:
        async with rig() as r:
            sim = await r.cabinet(banks={1: BANK_1, 3: BANK_3}, iccid="89701010000000000077")
            commands = LocalCabinetCommands(r.gateway, clock=r.clock)
            assert await commands.online(BOX) is True
            assert await commands.online(OTHER_BOX) is False
            assert await commands.eject(BOX, 3) == EjectResult(BOX, 3, 1, BANK_3)
            assert [record.slot for record in (await commands.inventory(BOX)).records] == [1]
            await commands.set_volume(BOX, 7)
            assert await commands.read_volume(BOX) == 7
            await commands.set_server_address(BOX, p.ServerAddress("10.0.0.5", "9066", 20))
            assert await commands.read_server_address(BOX) == p.ServerAddress("10.0.0.5", "9066", 20)
            assert await commands.read_iccid(BOX) == "89701010000000000077"
            assert sim.state.volume == 7

    run(scenario())


def test_a_command_past_its_own_deadline_times_out_before_the_gateways(run: Run) -> None:
    async def scenario() -> None:
        async with rig(eject=10.0) as r:
            sim = await r.cabinet(banks={3: BANK_3})
            sim.set_fault(Fault.SILENT)
            commands = LocalCabinetCommands(r.gateway, clock=r.clock, deadlines=Deadlines(eject=4.0))
            await until(lambda: r.clock.sleepers == 1)  # the watchdog
            eject = asyncio.create_task(commands.eject(BOX, 3))
            await until(lambda: r.clock.sleepers == 3 and p.Eject(3) in sim.received)
            r.clock.advance(seconds=3.9)
            await settle()
            assert not eject.done()
            r.clock.advance(seconds=0.1)
            with pytest.raises(
                CabinetTimeout, match=f"cabinet {BOX}: eject not done within its deadline of 4 s"
            ):
                await eject
            # The cabinet's queue is free again for the next command.
            await settle()
            assert r.gateway.status()[BOX].busy is False

    run(scenario())


def test_a_timeout_argument_overrides_the_default_deadline(run: Run) -> None:
    async def scenario() -> None:
        async with rig() as r:
            sim = await r.cabinet()
            sim.set_fault(Fault.SILENT)
            commands = LocalCabinetCommands(r.gateway, clock=r.clock)
            await until(lambda: r.clock.sleepers == 1)
            volume = asyncio.create_task(commands.read_volume(BOX, timeout=1.5))
            await until(lambda: r.clock.sleepers == 3)
            r.clock.advance(seconds=1.5)
            with pytest.raises(CabinetTimeout, match=r"read volume not done within its deadline of 1\.5 s"):
                await volume

    run(scenario())


def test_commands_from_another_loop_run_on_the_device_hosts_loop() -> None:
    host = DeviceHost(name="powerbank")
    host.start()
    try:
        holder: dict[str, Any] = {}

        async def up() -> None:
            context = rig()
            holder["context"], holder["rig"] = context, await context.__aenter__()
            await holder["rig"].cabinet(banks={1: BANK_1})

        host.call(up, timeout=10)
        commands = LocalCabinetCommands(holder["rig"].gateway, host=host)

        async def from_api_loop() -> None:
            assert await commands.eject(BOX, 1) == EjectResult(BOX, 1, 1, BANK_1)
            with pytest.raises(CabinetOffline, match=f"cabinet {OTHER_BOX} is not connected"):
                await commands.inventory(OTHER_BOX)

        asyncio.run(asyncio.wait_for(from_api_loop(), 10))
        host.call(lambda: holder["context"].__aexit__(None, None, None), timeout=10)
    finally:
        host.stop()
