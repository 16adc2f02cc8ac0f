"""Gateway commands and cabinet events against the simulator over 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from opsuite.powerbank.devices import protocol as p
from opsuite.powerbank.devices.interface import (
    CabinetOffline,
    CabinetTimeout,
    EjectResult,
    InventoryReport,
    ReturnVerdict,
)
from opsuite.powerbank.devices.simulator import Bank, Fault
from tests.clock import FakeClock
from tests.powerbank.devices.rig import BANK_1, BANK_2, BANK_3, BOX, rig, settle, until

Run = Callable[[Coroutine[Any, Any, Any]], Any]


def test_eject_releases_the_bank(run: Run) -> None:
    async def scenario() -> None:
        async with rig() as r:
            sim = await r.cabinet(banks={1: BANK_1, 3: BANK_3})
            assert await r.gateway.eject(BOX, 3) == EjectResult(BOX, 3, 1, BANK_3)
            assert sim.received[1:] == [p.Eject(3)]
            assert sorted(sim.state.banks) == [1]
            assert r.gateway.status()[BOX].busy is False

    run(scenario())


def test_eject_of_a_jammed_slot_fails_and_the_bank_stays(run: Run) -> None:
    async def scenario() -> None:
        async with rig() as r:
            sim = await r.cabinet(banks={3: BANK_3})
            sim.set_fault(Fault.JAM, slot=3)
            result = await r.gateway.eject(BOX, 3)
            assert (result, result.ok) == (EjectResult(BOX, 3, 0, BANK_3), False)
            assert sorted(sim.state.banks) == [3]

    run(scenario())


def test_force_eject_unlatches_the_bank_until_it_is_taken(run: Run) -> None:
    async def scenario() -> None:
        async with rig() as r:
            sim = await r.cabinet(banks={2: BANK_2})
            assert await r.gateway.force_eject(BOX, 2) == EjectResult(BOX, 2, 1, BANK_2)
            (record,) = (await r.gateway.inventory(BOX)).records
            assert (record.slot, record.status, record.latched) == (2, 0x40, False)
            assert sim.take(2) == Bank(BANK_2, status=0x40)
            assert (await r.gateway.inventory(BOX)).records == ()

    run(scenario())


def test_an_unanswered_eject_times_out_at_its_deadline_on_the_clock(run: Run) -> None:
    async def scenario() -> None:
        async with rig(eject=10.0) as r:
            sim = await r.cabinet(banks={3: BANK_3})
            sim.set_fault(Fault.SILENT)
            await until(lambda: r.clock.sleepers == 1)  # the watchdog
            eject = asyncio.create_task(r.gateway.eject(BOX, 3))
            await until(lambda: r.clock.sleepers == 2 and p.Eject(3) in sim.received)
            r.clock.advance(seconds=9.5)
            await settle()
            assert not eject.done()
            assert r.gateway.status()[BOX].busy is True
            r.clock.advance(seconds=0.5)
            with pytest.raises(CabinetTimeout, match=f"cabinet {BOX} did not answer Eject within 10.0 s"):
                await eject
            assert r.gateway.status()[BOX].busy is False
            assert sorted(sim.state.banks) == [3]

    run(scenario())


def test_two_commands_to_one_cabinet_are_sent_one_after_the_other(run: Run) -> None:
    async def scenario() -> None:
        async with rig() as r:
            cabinet_clock = FakeClock()
            sim = await r.cabinet(banks={1: BANK_1, 2: BANK_2}, clock=cabinet_clock, late_by=1.0)
            sim.set_fault(Fault.LATE)
            first = asyncio.create_task(r.gateway.force_eject(BOX, 1))
            second = asyncio.create_task(r.gateway.eject(BOX, 2))
            # The cabinet holds the first answer back (its heartbeat sleeps too): the second must wait.
            await until(lambda: cabinet_clock.sleepers == 2)
            await settle()
            assert sim.received[1:] == [p.ForceEject(1)]
            cabinet_clock.advance(seconds=1)
            assert await first == EjectResult(BOX, 1, 1, BANK_1)
            await until(lambda: cabinet_clock.sleepers == 2)
            assert sim.received[1:] == [p.ForceEject(1), p.Eject(2)]
            assert not second.done()
            cabinet_clock.advance(seconds=1)
            assert await second == EjectResult(BOX, 2, 1, BANK_2)

    run(scenario())


def test_an_answer_arriving_after_the_deadline_is_dropped_and_the_next_command_gets_its_own(run: Run) -> None:
    async def scenario() -> None:
        async with rig(command=5.0) as r:
            cabinet_clock = FakeClock()
            sim = await r.cabinet(clock=cabinet_clock, late_by=7.0)
            sim.set_fault(Fault.LATE)
            volume = asyncio.create_task(r.gateway.read_volume(BOX))
            await until(lambda: cabinet_clock.sleepers == 2 and r.clock.sleepers == 2)
            r.clock.advance(seconds=5)
            with pytest.raises(
                CabinetTimeout, match=f"cabinet {BOX} did not answer VolumeRequest within 5.0 s"
            ):
                await volume
            sim.set_fault(Fault.NONE)
            cabinet_clock.advance(seconds=7)  # the late volume answer reaches a gateway no longer waiting
            await until(lambda: sim.received.count(p.VolumeRequest()) == 1 and cabinet_clock.sleepers == 1)
            await settle()
            assert await r.gateway.read_iccid(BOX) == "89701010000000000001"
            assert await r.gateway.read_volume(BOX) == 2

    run(scenario())


def test_a_command_queued_past_its_deadline_times_out(run: Run) -> None:
    async def scenario() -> None:
        async with rig(eject=100.0, queue=15.0) as r:
            sim = await r.cabinet(banks={1: BANK_1})
            sim.set_fault(Fault.SILENT)
            first = asyncio.create_task(r.gateway.eject(BOX, 1))
            await until(lambda: r.clock.sleepers == 2)
            second = asyncio.create_task(r.gateway.inventory(BOX))
            await until(lambda: r.clock.sleepers == 3)
            r.clock.advance(seconds=15)
            with pytest.raises(CabinetTimeout, match=f"cabinet {BOX} stayed busy past 15.0 s"):
                await second
            assert not first.done()
            first.cancel()

    run(scenario())


def test_a_cabinet_dropping_the_connection_fails_the_command_as_offline(run: Run) -> None:
    async def scenario() -> None:
        async with rig() as r:
            sim = await r.cabinet(banks={1: BANK_1}, reconnect_delay=None)
            sim.set_fault(Fault.DROP)
            with pytest.raises(CabinetOffline, match=f"cabinet {BOX}: connection lost"):
                await r.gateway.eject(BOX, 1)
            await until(lambda: len(r.events.log) == 2)
            assert r.events.log[1] == ("offline", BOX, "connection lost: connection closed by the peer")

    run(scenario())


def test_a_return_is_reported_with_its_record_and_acknowledged_with_the_echo(run: Run) -> None:
    async def scenario() -> None:
        async with rig() as r:
            sim = await r.cabinet(slots=4, banks={1: BANK_1})
            bank = Bank(BANK_2, level=100, voltage_mv=4130, temperature_c=29)
            assert await sim.insert(2, bank) == ReturnVerdict.ACCEPTED
            record = p.SlotRecord(2, BANK_2, 100, 4130, 0, 29, 0x48, 100)
            assert r.events.log[1] == ("return", BOX, 2, BANK_2, record)
            # notes §4.7 example 6: the reply echoes the received record after slot and result.
            assert sim.received[1] == p.ReturnReply(2, 1, record.encode()[1:])
            # The gateway then asks for the inventory, which shows the bank latched.
            await until(lambda: len(r.events.log) == 3)
            (_, report) = r.events.log[2]
            assert isinstance(report, InventoryReport)
            assert (report.station_id, report.slots_num, report.received_at) == (BOX, 4, r.clock.now())
            assert report.records == (
                p.SlotRecord(1, BANK_1, 100, 4110, 0, 30, 0xC0, 100),
                p.SlotRecord(2, BANK_2, 100, 4130, 0, 29, 0xC0, 100),
            )

    run(scenario())


def test_a_return_the_domain_cannot_record_gets_no_reply_and_is_resent(run: Run) -> None:
    async def scenario() -> None:
        async with rig(inventory_after_events=False) as r:
            cabinet_clock = FakeClock()
            sim = await r.cabinet(clock=cabinet_clock)
            r.events.return_errors.append(RuntimeError("database is locked"))
            inserted = asyncio.create_task(sim.insert(5, BANK_3))
            await until(lambda: cabinet_clock.sleepers == 2 and not r.events.return_errors)
            await settle()
            assert r.events.kinds() == ["login"]
            assert [m for m in sim.received if isinstance(m, p.ReturnReply)] == []
            cabinet_clock.advance(seconds=1.2)
            assert await inserted == 1
            assert r.events.of("return") == [("return", BOX, 5, BANK_3, Bank(BANK_3, status=0x48).record(5))]

    run(scenario())


def test_the_domains_verdict_is_the_reply_and_only_acceptance_asks_for_inventory(run: Run) -> None:
    async def scenario() -> None:
        async with rig() as r:
            sim = await r.cabinet()
            r.events.verdict = ReturnVerdict.DUPLICATE
            assert await sim.insert(1, BANK_1) == 3
            await settle()
            assert r.events.kinds() == ["login", "return"]
            assert p.InventoryRequest() not in sim.received

    run(scenario())


def test_slot_abnormal_events_are_reported_acknowledged_and_followed_by_inventory(run: Run) -> None:
    async def scenario() -> None:
        async with rig() as r:
            sim = await r.cabinet(banks={1: BANK_1})
            await sim.pull(1)
            await until(lambda: len(r.events.log) == 3)
            assert r.events.log[1] == ("abnormal", BOX, 1, 1, BANK_1)
            assert r.events.log[2][1].records == ()
            await sim.phantom_return(4)
            await until(lambda: len(r.events.log) == 5)
            assert r.events.log[3] == ("abnormal", BOX, 4, 2, "0000000000000000")
            assert sim.received.count(p.SlotAbnormalAck()) == 2

    run(scenario())


def test_volume_server_address_and_iccid_are_read_and_set(run: Run) -> None:
    async def scenario() -> None:
        async with rig() as r:
            sim = await r.cabinet(volume=2, iccid="8970199170000000001F")
            assert await r.gateway.read_volume(BOX) == 2
            await r.gateway.set_volume(BOX, 15)
            assert (sim.state.volume, await r.gateway.read_volume(BOX)) == (15, 15)
            assert await r.gateway.read_server_address(BOX) == p.ServerAddress("127.0.0.1", str(r.port), 30)
            moved = p.ServerAddress("cabinets.example.org", "10001", 20)
            await r.gateway.set_server_address(BOX, moved)
            assert sim.state.address == moved
            assert await r.gateway.read_server_address(BOX) == moved
            assert await r.gateway.read_iccid(BOX) == "8970199170000000001F"
            assert sim.received[1:] == [
                p.VolumeRequest(),
                p.SetVolume(15),
                p.VolumeRequest(),
                p.ServerAddressRequest(),
                p.SetServerAddress("cabinets.example.org", "10001", 20),
                p.ServerAddressRequest(),
                p.IccidRequest(),
            ]
            with pytest.raises(ValueError, match=r"volume level must be 0\.\.15, not 16"):
                await r.gateway.set_volume(BOX, 16)
            with pytest.raises(ValueError, match=r"slot must be 1\.\.255, not 0"):
                await r.gateway.eject(BOX, 0)

    run(scenario())


def test_restart_returns_and_the_cabinet_logs_in_again_with_a_fresh_uptime(run: Run) -> None:
    async def scenario() -> None:
        async with rig() as r:
            cabinet_clock = FakeClock()
            sim = await r.cabinet(uptime_ms=5_000_000, clock=cabinet_clock, reconnect_delay=0.25)
            await r.gateway.restart(BOX)
            await until(lambda: len(r.events.log) == 2)
            assert r.events.log[1] == ("offline", BOX, "connection lost: connection closed by the peer")
            cabinet_clock.advance(seconds=0.25)
            await until(lambda: sim.logins == 2 and r.gateway.online(BOX))
            first, second = (report for _, report in r.events.of("login"))
            assert (first.uptime_ms, second.uptime_ms) == (5_000_000, 250)
            assert p.Restart() in sim.received
            assert r.events.kinds() == ["login", "offline", "login"]

    run(scenario())
