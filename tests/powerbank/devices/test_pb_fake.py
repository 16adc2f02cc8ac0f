"""The in-memory gateway the domain's unit tests use: slot-table answers, queued outcomes, events."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from opsuite.powerbank.devices import protocol as p
from opsuite.powerbank.devices.fake import Call, FakeCabinetGateway
from opsuite.powerbank.devices.interface import (
    CabinetGateway,
    CabinetOffline,
    CabinetRefused,
    CabinetStatus,
    CabinetTimeout,
    EjectResult,
    InventoryReport,
)
from opsuite.powerbank.devices.simulator import Bank
from tests.clock import FakeClock
from tests.powerbank.devices.rig import BANK_1, BANK_2, BOX, OTHER_BOX, Recorder

Run = Callable[[Coroutine[Any, Any, Any]], Any]


def fake(events: Recorder | None = None) -> FakeCabinetGateway:
    gateway = FakeCabinetGateway(events, clock=FakeClock())
    gateway.add_cabinet(BOX, slots=4, banks={1: BANK_1, 2: BANK_2})
    return gateway


def test_the_fake_satisfies_the_interface() -> None:
    assert isinstance(FakeCabinetGateway(), CabinetGateway)


def test_cabinets_answer_from_their_slot_table(run: Run) -> None:
    async def scenario() -> None:
        events = Recorder()
        gateway = fake(events)
        assert await gateway.eject(BOX, 1) == EjectResult(BOX, 1, 1, BANK_1)
        assert await gateway.eject(BOX, 1) == EjectResult(BOX, 1, 0, "0000000000000000")
        assert await gateway.force_eject(BOX, 2) == EjectResult(BOX, 2, 1, BANK_2)
        report = await gateway.inventory(BOX)
        assert report == InventoryReport(BOX, 4, (Bank(BANK_2, status=0x40).record(2),), gateway.clock.now())
        assert events.log == [("inventory", report)]
        await gateway.set_volume(BOX, 9)
        assert await gateway.read_volume(BOX) == 9
        moved = p.ServerAddress("example.org", "10001", 20)
        await gateway.set_server_address(BOX, moved)
        assert await gateway.read_server_address(BOX) == moved
        assert await gateway.read_iccid(BOX) == "89701010000000000001"
        await gateway.restart(BOX)
        assert gateway.calls[:3] == [
            Call("eject", BOX, 1),
            Call("eject", BOX, 1),
            Call("force_eject", BOX, 2),
        ]
        assert [call.operation for call in gateway.calls[3:]] == [
            "inventory",
            "set_volume",
            "read_volume",
            "set_server_address",
            "read_server_address",
            "read_iccid",
            "restart",
        ]

    run(scenario())


def test_queued_outcomes_come_first_and_errors_are_raised(run: Run) -> None:
    async def scenario() -> None:
        gateway = fake()
        gateway.queue(BOX, "eject", CabinetTimeout("late"), EjectResult(BOX, 1, 0, BANK_1))
        with pytest.raises(CabinetTimeout, match="late"):
            await gateway.eject(BOX, 1)
        assert await gateway.eject(BOX, 1) == EjectResult(BOX, 1, 0, BANK_1)
        assert await gateway.eject(BOX, 1) == EjectResult(BOX, 1, 1, BANK_1)
        gateway.queue(BOX, "set_volume", 0)
        with pytest.raises(CabinetRefused, match=f"cabinet {BOX} refused set volume \\(result 0\\)"):
            await gateway.set_volume(BOX, 3)

    run(scenario())


def test_offline_and_unknown_cabinets_raise_offline(run: Run) -> None:
    async def scenario() -> None:
        gateway = fake()
        gateway.set_online(BOX, False)
        assert gateway.online(BOX) is False
        assert gateway.status() == {}
        with pytest.raises(CabinetOffline, match=f"cabinet {BOX} is not connected"):
            await gateway.eject(BOX, 1)
        with pytest.raises(CabinetOffline):
            await gateway.inventory(OTHER_BOX)
        gateway.set_online(BOX, True)
        assert gateway.status() == {
            BOX: CabinetStatus(BOX, "fake", gateway.clock.now(), gateway.clock.now(), 0, 4, False)
        }

    run(scenario())


def test_insert_and_pull_call_the_events(run: Run) -> None:
    async def scenario() -> None:
        events = Recorder()
        gateway = fake(events)
        assert await gateway.insert(BOX, 3, "4443484154000033") == 1
        await gateway.pull(BOX, 1)
        assert events.log == [
            ("return", BOX, 3, "4443484154000033", Bank("4443484154000033").record(3)),
            ("abnormal", BOX, 1, 1, BANK_1),
        ]
        assert sorted(gateway.cabinets[BOX].state.banks) == [2, 3]

    run(scenario())
