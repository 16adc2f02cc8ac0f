"""Cabinet commands from an API worker through Redis to the gateway process holding the cabinet.

Real Redis (OPSUITE_TEST_REDIS_URL), real gateways and simulated cabinets over 127.0.0.1, the system clock:
the deadlines here are short because the cabinets that should answer answer at once.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Any

import pytest
import redis.asyncio

from opsuite.powerbank.cabinets.gateway_service import GatewayService
from opsuite.powerbank.cabinets.messages import Request
from opsuite.powerbank.cabinets.placement import Keys, RedisCabinetCommands
from opsuite.powerbank.devices import protocol as p
from opsuite.powerbank.devices.interface import CabinetOffline, CabinetRefused, CabinetTimeout, EjectResult
from opsuite.powerbank.devices.simulator import CabinetSimulator, Fault
from tests.conftest import REDIS_ENV, service_url
from tests.powerbank.devices.rig import (
    BANK_1,
    BANK_2,
    BANK_3,
    BOX,
    KEY,
    OTHER_BOX,
    OTHER_KEY,
    Recorder,
    known_keys,
    until,
)

pytestmark = pytest.mark.redis

Run = Callable[[Coroutine[Any, Any, Any]], Any]


class Site:
    """Gateway processes' services and an API worker's commands on one Redis, under a prefix of the test's own."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.keys = Keys(f"opsuite:test:{uuid.uuid4().hex[:12]}:")
        self.client: Any = redis.asyncio.Redis.from_url(url)
        self.commands = RedisCabinetCommands(self.client, keys=self.keys, grace=0.5)
        self.services: list[GatewayService] = []
        self.cabinets: list[CabinetSimulator] = []
        self.events: list[Recorder] = []

    async def gateway(self, **options: Any) -> tuple[GatewayService, int]:
        events = Recorder()
        service = GatewayService(
            known_keys,
            events,
            host="127.0.0.1",
            ports=[0],
            redis_url=self.url,
            redis_keys=self.keys,
            **options,
        )
        self.services.append(service)
        self.events.append(events)
        (port,) = await service.start()
        return service, port

    async def cabinet(
        self, port: int, box_id: str = BOX, key: bytes = KEY, **options: Any
    ) -> CabinetSimulator:
        sim = CabinetSimulator(box_id, key, host="127.0.0.1", port=port, reconnect_delay=None, **options)
        self.cabinets.append(sim)
        await sim.start()
        await sim.wait_logged_in()
        return sim

    async def close(self) -> None:
        for sim in self.cabinets:
            await sim.stop()
        for service in self.services:
            await service.stop()
        leftovers = [key async for key in self.client.scan_iter(match=self.keys.prefix + "*")]
        if leftovers:
            await self.client.delete(*leftovers)
        await self.client.aclose()


@asynccontextmanager
async def site() -> AsyncIterator[Site]:
    running = Site(service_url(REDIS_ENV))
    try:
        yield running
    finally:
        await running.close()


async def held(s: Site, box_id: str) -> None:
    """Wait until the cabinet's claim is in Redis (the login handler writes it after the login reply)."""
    while not await s.commands.online(box_id):
        await asyncio.sleep(0.005)


def test_every_command_goes_through_redis_to_the_cabinets_gateway(run: Run) -> None:
    async def scenario() -> None:
        async with site() as s:
            service, port = await s.gateway()
            sim = await s.cabinet(port, banks={1: BANK_1, 3: BANK_3}, iccid="89701010000000000077")
            await held(s, BOX)
            assert await s.commands.holder(BOX) == service.gateway_id
            assert 0 < await s.client.pttl(s.keys.holder(BOX)) <= 30_000
            commands = s.commands
            assert await commands.eject(BOX, 3) == EjectResult(BOX, 3, 1, BANK_3)
            report = await commands.inventory(BOX)
            assert (report.station_id, report.slots_num) == (BOX, 8)
            assert report.records == (p.SlotRecord(1, BANK_1, 100, 4110, 0, 30, 0xC0, 100),)
            assert await commands.force_eject(BOX, 1) == EjectResult(BOX, 1, 1, BANK_1)
            await commands.set_volume(BOX, 9)
            assert await commands.read_volume(BOX) == 9
            await commands.set_server_address(BOX, p.ServerAddress("10.1.2.3", "10001", 25))
            assert await commands.read_server_address(BOX) == p.ServerAddress("10.1.2.3", "10001", 25)
            assert await commands.read_iccid(BOX) == "89701010000000000077"
            requests = [type(m).__name__ for m in sim.received[1:] if not isinstance(m, p.Heartbeat)]
            assert requests == [
                "Eject",
                "InventoryRequest",
                "ForceEject",
                "SetVolume",
                "VolumeRequest",
                "SetServerAddress",
                "ServerAddressRequest",
                "IccidRequest",
            ]
            await commands.restart(BOX)
            assert sim.received[-1] == p.Restart()

    run(scenario())


def test_an_api_worker_commands_cabinets_held_by_two_gateway_processes(run: Run) -> None:
    async def scenario() -> None:
        async with site() as s:
            first, first_port = await s.gateway()
            second, second_port = await s.gateway()
            await s.cabinet(first_port, BOX, KEY, banks={1: BANK_1})
            await s.cabinet(second_port, OTHER_BOX, OTHER_KEY, banks={2: BANK_2})
            await held(s, BOX)
            await held(s, OTHER_BOX)
            assert await s.commands.holder(BOX) == first.gateway_id
            assert await s.commands.holder(OTHER_BOX) == second.gateway_id
            ejects = await asyncio.gather(s.commands.eject(BOX, 1), s.commands.eject(OTHER_BOX, 2))
            assert ejects == [EjectResult(BOX, 1, 1, BANK_1), EjectResult(OTHER_BOX, 2, 1, BANK_2)]
            assert [first.gateway.online(BOX), first.gateway.online(OTHER_BOX)] == [True, False]

    run(scenario())


def test_a_cabinet_no_gateway_holds_is_offline_at_once(run: Run) -> None:
    async def scenario() -> None:
        async with site() as s:
            await s.gateway()
            assert await s.commands.online(BOX) is False
            with pytest.raises(CabinetOffline, match=f"cabinet {BOX} is not connected to any gateway"):
                await s.commands.eject(BOX, 1)

    run(scenario())


def test_a_cabinet_that_hangs_up_is_released_and_commands_fail_as_offline(run: Run) -> None:
    async def scenario() -> None:
        async with site() as s:
            _, port = await s.gateway()
            sim = await s.cabinet(port)
            await held(s, BOX)
            await sim.stop()
            await until(lambda: s.events[0].kinds()[-1:] == ["offline"])
            assert await s.commands.online(BOX) is False
            with pytest.raises(CabinetOffline, match=f"cabinet {BOX} is not connected to any gateway"):
                await s.commands.read_iccid(BOX)

    run(scenario())


def test_a_release_never_drops_the_claim_another_gateway_made_since(run: Run) -> None:
    async def scenario() -> None:
        async with site() as s:
            first, _ = await s.gateway()
            second, _ = await s.gateway()
            assert first.registry is not None
            assert second.registry is not None
            await first.registry.claim([BOX])
            await second.registry.claim([BOX])
            await first.registry.release(BOX)
            assert await s.commands.holder(BOX) == second.gateway_id
            await second.registry.release(BOX)
            assert await s.commands.holder(BOX) is None

    run(scenario())


def test_claims_expire_unless_the_gateways_heartbeat_renews_them(run: Run) -> None:
    async def scenario() -> None:
        async with site() as s:
            _, port = await s.gateway(claim_ttl=1.0, claim_every=0.1)
            await s.cabinet(port)
            await held(s, BOX)
            await asyncio.sleep(2.5)  # more than twice the time-to-live: renewed meanwhile
            assert await s.commands.online(BOX) is True
            renewed = await s.client.pttl(s.keys.holder(BOX))
            assert 0 < renewed <= 1000
            for service in s.services:
                await service.stop()
            s.services.clear()
            await asyncio.sleep(1.2)
            assert await s.commands.online(BOX) is False

    run(scenario())


def test_a_silent_cabinet_times_out_at_the_callers_deadline(run: Run) -> None:
    async def scenario() -> None:
        async with site() as s:
            _, port = await s.gateway()
            sim = await s.cabinet(port, banks={3: BANK_3})
            await held(s, BOX)
            sim.set_fault(Fault.SILENT)
            # The gateway runs the command within what is left of the caller's 0.3 s when it takes it.
            with pytest.raises(
                CabinetTimeout, match=rf"cabinet {BOX}: eject not done within its deadline of 0\.\d+ s"
            ):
                await s.commands.eject(BOX, 3, timeout=0.3)
            assert sorted(sim.state.banks) == [3]

    run(scenario())


def test_refusals_and_bad_arguments_come_back_as_the_gateway_raised_them(run: Run) -> None:
    async def scenario() -> None:
        async with site() as s:
            _, port = await s.gateway()
            sim = await s.cabinet(port, banks={3: BANK_3})
            await held(s, BOX)
            with pytest.raises(ValueError, match=r"ValueError: volume level must be 0\.\.15, not 16"):
                await s.commands.set_volume(BOX, 16)
            with pytest.raises(ValueError, match=r"ValueError: slot must be 1\.\.255, not 0"):
                await s.commands.eject(BOX, 0)
            sim.set_fault(Fault.JAM, slot=3)
            assert await s.commands.eject(BOX, 3) == EjectResult(BOX, 3, 0, BANK_3)

    run(scenario())


def test_a_request_whose_deadline_passed_in_the_queue_is_dropped_unanswered(run: Run) -> None:
    async def scenario() -> None:
        async with site() as s:
            service, port = await s.gateway()
            sim = await s.cabinet(port)
            await held(s, BOX)
            stale = Request("stale", "read_iccid", BOX, {}, 1.0)
            await s.client.rpush(s.keys.requests(service.gateway_id), stale.encode())
            assert await s.commands.read_volume(BOX) == 2  # queued behind the stale one, so taken after it
            assert await s.client.exists(s.keys.reply("stale")) == 0
            assert p.IccidRequest() not in sim.received

    run(scenario())


def test_replies_carry_refusals_with_their_result_byte() -> None:
    from opsuite.powerbank.cabinets.messages import outcome

    request = Request("r1", "set_volume", BOX, {"level": 3}, 0.0)
    reply = json.dumps({"error": "refused", "message": "x", "command": "set volume", "result": 0})
    with pytest.raises(CabinetRefused, match=f"cabinet {BOX} refused set volume \\(result 0\\)"):
        outcome(request, reply)
