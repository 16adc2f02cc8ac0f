"""Gateway and simulator over 127.0.0.1: login, refusal, heartbeats, silence, replaced connections."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from opsuite.powerbank.devices import protocol as p
from opsuite.powerbank.devices.interface import CabinetGateway, CabinetOffline, CabinetStatus, LoginReport
from opsuite.powerbank.devices.simulator import Fault
from tests.clock import FakeClock
from tests.powerbank.devices.rig import BANK_1, BOX, KEY, OTHER_BOX, Rig, rig, settle, until

Run = Callable[[Coroutine[Any, Any, Any]], Any]


def test_the_gateway_satisfies_the_interface(run: Run) -> None:
    async def scenario() -> None:
        async with rig() as r:
            assert isinstance(r.gateway, CabinetGateway)

    run(scenario())


def test_a_signed_login_is_answered_and_reported(run: Run) -> None:
    async def scenario() -> None:
        async with rig() as r:
            sim = await r.cabinet(slots=4, banks={1: BANK_1}, uptime_ms=11_860_654)
            ((_, report),) = r.events.log
            assert isinstance(report, LoginReport)
            assert report.station_id == BOX
            assert report.peer.startswith("127.0.0.1:")
            assert report.uptime_ms >= 11_860_654
            assert (report.slots_num, report.logged_in_at) == (4, r.clock.now())
            assert report.records == (p.SlotRecord(1, BANK_1, 100, 4110, 0, 30, 0xC0, 100),)
            (reply,) = sim.received
            assert isinstance(reply, p.LoginReply)
            assert (reply.result, reply.timestamp) == (1, int(r.clock.now().timestamp()))
            assert sim.last_server_time == int(r.clock.now().timestamp())
            assert r.gateway.online(BOX) is True
            assert r.gateway.status() == {
                BOX: CabinetStatus(
                    station_id=BOX,
                    peer=report.peer,
                    connected_at=r.clock.now(),
                    last_seen=r.clock.now(),
                    uptime_ms=report.uptime_ms,
                    slots_num=4,
                    busy=False,
                )
            }

    run(scenario())


async def refused(r: Rig, box_id: str, key: bytes) -> None:
    sim = await r.cabinet(box_id, key, login=False, reconnect_delay=None)
    await until(lambda: sim.connections == 1 and not sim.logged_in and sim.refusals == 1)
    assert sim.logins == 0
    assert sim.received == []
    assert r.gateway.online(box_id) is False
    assert r.gateway.status() == {}
    assert r.events.log == []


def test_a_login_signed_with_another_key_is_refused_and_closed(run: Run) -> None:
    async def scenario() -> None:
        async with rig() as r:
            await refused(r, BOX, b"EXAMPLE2")

    run(scenario())


def test_a_box_without_a_key_is_refused_and_closed(run: Run) -> None:
    async def scenario() -> None:
        async with rig() as r:
            await refused(r, "DCHEY02599009999", KEY)

    run(scenario())


def test_garbage_before_a_login_closes_the_connection_silently(run: Run) -> None:
    async def scenario() -> None:
        async with rig() as r:
            for noise in (bytes.fromhex("FFEDFFFD06"), p.Heartbeat().encode(KEY)):
                reader, writer = await asyncio.open_connection("127.0.0.1", r.port)
                writer.write(noise)
                assert await reader.read() == b""
                writer.close()
            assert r.events.log == []

    run(scenario())


def test_heartbeats_are_echoed_and_keep_a_cabinet_online_past_the_window(run: Run) -> None:
    async def scenario() -> None:
        async with rig() as r:
            sim = await r.cabinet(clock=r.clock)
            for beat in range(1, 4):
                await until(lambda: r.clock.sleepers == 2)  # the watchdog and the cabinet's heartbeat
                r.clock.advance(seconds=30)
                await until(lambda: sim.received.count(p.Heartbeat()) == beat)  # noqa: B023
            await settle()
            assert r.gateway.online(BOX) is True
            assert r.gateway.status()[BOX].last_seen == r.clock.now()
            assert r.events.kinds() == ["login"]

    run(scenario())


def test_a_silent_cabinet_goes_offline_after_the_window_and_is_closed(run: Run) -> None:
    async def scenario() -> None:
        async with rig() as r:
            sim = await r.cabinet(reconnect_delay=None)
            sim.set_fault(Fault.SILENT)
            r.clock.advance(seconds=65)
            await settle()
            assert r.gateway.online(BOX) is True
            assert r.events.kinds() == ["login"]
            r.clock.advance(seconds=1)
            await until(lambda: len(r.events.log) == 2)
            assert r.events.log[1] == ("offline", BOX, "silent past the heartbeat window")
            assert r.gateway.online(BOX) is False
            assert r.gateway.status() == {}
            await until(lambda: not sim.logged_in)

    run(scenario())


def test_online_turns_false_as_soon_as_the_window_passes(run: Run) -> None:
    async def scenario() -> None:
        # A watch interval far longer than the window: online() itself reads the silence.
        async with rig(watch_interval=1000.0) as r:
            await r.cabinet()
            r.clock.advance(seconds=65.5)
            assert r.gateway.online(BOX) is False

    run(scenario())


def test_a_new_login_replaces_the_older_connection_without_going_offline(run: Run) -> None:
    async def scenario() -> None:
        async with rig() as r:
            first = await r.cabinet(reconnect_delay=None, banks={1: BANK_1})
            second = await r.cabinet(reconnect_delay=None)
            await until(lambda: not first.logged_in)
            assert r.events.kinds() == ["login", "login"]
            assert second.logged_in is True
            assert r.gateway.status()[BOX].peer == r.events.log[1][1].peer
            assert (await r.gateway.inventory(BOX)).records == ()

    run(scenario())


def test_a_half_open_cabinet_goes_offline_then_comes_back_on_a_new_connection(run: Run) -> None:
    async def scenario() -> None:
        async with rig() as r:
            sim = await r.cabinet(clock=r.clock, half_open_s=75.0)
            sim.set_fault(Fault.HALF_OPEN)
            r.clock.advance(seconds=65)
            await settle()
            assert r.events.kinds() == ["login"]
            r.clock.advance(seconds=1)
            await until(lambda: r.events.kinds() == ["login", "offline"])
            assert r.events.log[1] == ("offline", BOX, "silent past the heartbeat window")
            # The gateway closed its end; the cabinet, half-open, hears nothing and stays put.
            await settle()
            assert (sim.connections, sim.fault) == (1, Fault.HALF_OPEN)
            r.clock.advance(seconds=9)
            await until(lambda: r.gateway.online(BOX) and sim.logged_in)
            assert r.events.kinds() == ["login", "offline", "login"]
            assert (sim.connections, sim.logins, sim.fault) == (2, 2, Fault.NONE)
            assert (await r.gateway.inventory(BOX)).slots_num == 8

    run(scenario())


def test_a_half_open_cabinet_back_within_the_window_replaces_its_connection(run: Run) -> None:
    async def scenario() -> None:
        async with rig() as r:
            sim = await r.cabinet(clock=r.clock, half_open_s=20.0)
            first_peer = r.gateway.status()[BOX].peer
            sim.set_fault(Fault.HALF_OPEN)
            r.clock.advance(seconds=20)
            await until(lambda: sim.logins == 2 and r.gateway.status()[BOX].peer != first_peer)
            assert r.events.kinds() == ["login", "login"]
            assert r.gateway.online(BOX) is True
            assert await r.gateway.read_volume(BOX) == 2

    run(scenario())


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault.BAD_CHECKSUM, "frame 0x61: XOR 0xFF does not match"),
        (Fault.WRONG_TOKEN, "frame 0x61: token not made with the station's key"),
    ],
)
def test_bad_frames_after_login_are_dropped_and_the_third_closes(run: Run, fault: Fault, error: str) -> None:
    async def scenario() -> None:
        async with rig() as r:
            cabinet_clock = FakeClock()
            sim = await r.cabinet(clock=cabinet_clock, reconnect_delay=None)
            sim.set_fault(fault)
            for _ in range(2):
                await until(lambda: cabinet_clock.sleepers == 1)
                cabinet_clock.advance(seconds=30)
            await until(lambda: cabinet_clock.sleepers == 1)
            await settle()
            assert r.gateway.online(BOX) is True
            assert p.Heartbeat() not in sim.received
            cabinet_clock.advance(seconds=30)
            await until(lambda: len(r.events.log) == 2)
            assert r.events.log[1] == ("offline", BOX, f"protocol error: {error}")

    run(scenario())


def test_a_cabinet_sending_bytes_one_at_a_time_is_understood(run: Run) -> None:
    async def scenario() -> None:
        async with rig() as r:
            sim = await r.cabinet(banks={2: BANK_1}, split_writes=True)
            assert (await r.gateway.inventory(BOX)).records == sim.state.records()

    run(scenario())


def test_commands_to_an_unknown_or_disconnected_cabinet_fail_at_once(run: Run) -> None:
    async def scenario() -> None:
        async with rig() as r:
            with pytest.raises(CabinetOffline, match=f"cabinet {OTHER_BOX} is not connected"):
                await r.gateway.eject(OTHER_BOX, 1)

    run(scenario())
