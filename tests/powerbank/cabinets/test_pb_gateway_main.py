"""The gateway process as `opsuite gateway powerbank` runs it: settings, database, Redis, a demo cabinet."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio
from sqlalchemy import select

from opsuite.core.db import Database
from opsuite.core.devices import DeviceHost
from opsuite.powerbank.cabinets import wiring
from opsuite.powerbank.cabinets.commands import Deadlines
from opsuite.powerbank.cabinets.gateway_main import build_gateway_service, gateway_main, keep_last_seen
from opsuite.powerbank.cabinets.placement import Keys, RedisCabinetCommands
from opsuite.powerbank.demo_cabinets import demo_serial
from opsuite.powerbank.devices import protocol as p
from opsuite.powerbank.devices.interface import EjectResult
from opsuite.powerbank.devices.simulator import CabinetSimulator
from opsuite.powerbank.runtime import build_runtime
from opsuite.powerbank.settings import PowerbankSettings
from opsuite.powerbank.stations.models import Station
from tests.clock import FakeClock
from tests.conftest import REDIS_ENV, service_url
from tests.powerbank.devices.rig import until
from tests.powerbank.helpers import FERNET_KEY, SECRET, START

Run = Callable[[Coroutine[Any, Any, Any]], Any]


def gateway_settings(database_url: str, tmp_path: Path, redis_url: str | None = None) -> PowerbankSettings:
    return PowerbankSettings(
        database_url=database_url,
        secret_key=SECRET,
        key_encryption_keys=FERNET_KEY,
        simulators=False,
        gateway_port=0,
        core={"var_dir": tmp_path, "redis_url": redis_url},
    )


def station_fact(database: Database, box_id: str, *columns: Any) -> Any:
    """One column of a station (several: a row of them), read in a transaction of its own."""
    with database.session() as session:
        row = session.execute(select(*columns).where(Station.box_id == box_id)).one()
        return row[0] if len(columns) == 1 else tuple(row)


async def fact(database: Database, box_id: str, *columns: Any) -> Any:
    """`station_fact` from async code."""
    return await asyncio.to_thread(station_fact, database, box_id, *columns)


@pytest.mark.redis
def test_an_api_worker_ejects_through_redis_from_a_cabinet_of_the_gateway_process(
    database_url: str, database: Database, tmp_path: Path, run: Run
) -> None:
    url = service_url(REDIS_ENV)
    clock = FakeClock(START)

    async def scenario() -> None:
        runtime = build_runtime(gateway_settings(database_url, tmp_path, url), database, clock=clock)
        service = build_gateway_service(runtime)
        (port,) = await service.start()
        banks = {slot: demo_serial(2, slot) for slot in range(1, 6)}
        sim = CabinetSimulator(
            "ST002", b"DEMOKEY2", host="127.0.0.1", port=port, banks=banks, reconnect_delay=None
        )
        client: Any = redis.asyncio.Redis.from_url(url)
        commands = RedisCabinetCommands(client, keys=Keys(), clock=clock)
        try:
            await sim.start()
            await sim.wait_logged_in()
            while not await commands.online("ST002"):
                await asyncio.sleep(0.005)
            assert await commands.holder("ST002") == service.gateway_id
            assert await commands.eject("ST002", 5) == EjectResult("ST002", 5, 1, demo_serial(2, 5))
            assert sorted(sim.state.banks) == [1, 2, 3, 4]
            await sim.stop()
            while await fact(database, "ST002", Station.disconnected_at) is None:
                await asyncio.sleep(0.005)
        finally:
            await sim.stop()
            await service.stop()
            await client.delete(Keys().holder("ST002"))
            await client.aclose()

    run(scenario())
    with database.session() as session:
        st002 = session.scalar(select(Station).where(Station.box_id == "ST002"))
        assert st002 is not None
        assert (st002.connected_at, st002.disconnected_at) == (START, START)


def test_last_seen_is_written_periodically_from_the_gateways_sessions(
    database_url: str, database: Database, tmp_path: Path, run: Run
) -> None:
    clock = FakeClock(START)

    async def scenario() -> None:
        runtime = build_runtime(gateway_settings(database_url, tmp_path), database, clock=clock)
        service = build_gateway_service(runtime)
        (port,) = await service.start()
        sim = CabinetSimulator(
            "ST003", b"DEMOKEY3", host="127.0.0.1", port=port, slots=4, clock=clock, reconnect_delay=None
        )
        writer = asyncio.create_task(keep_last_seen(runtime, service.gateway, every=45))
        try:
            await sim.start()
            await sim.wait_logged_in()
            await until(lambda: clock.sleepers == 3)  # the gateway's watchdog, the writer, the heartbeat
            while (
                await fact(database, "ST003", Station.last_seen_at) is None
            ):  # on_login runs after the reply
                await asyncio.sleep(0.005)
            assert await fact(database, "ST003", Station.last_seen_at) == START
            clock.advance(seconds=30)  # a heartbeat: heard, not written
            await until(
                lambda: service.gateway.status()["ST003"].last_seen == START + dt.timedelta(seconds=30)
            )
            assert await fact(database, "ST003", Station.last_seen_at) == START
            clock.advance(seconds=15)  # the writer's turn: the heartbeat's time is written
            while await fact(database, "ST003", Station.last_seen_at) == START:
                await asyncio.sleep(0.005)
            assert await fact(database, "ST003", Station.last_seen_at) == START + dt.timedelta(seconds=30)
        finally:
            writer.cancel()
            await sim.stop()
            await service.stop()

    run(scenario())


def test_a_cabinet_whose_iccid_is_unknown_is_asked_for_it_after_login_once(
    database_url: str, database: Database, tmp_path: Path, run: Run
) -> None:
    clock = FakeClock(START)

    async def scenario() -> None:
        runtime = build_runtime(gateway_settings(database_url, tmp_path), database, clock=clock)
        service = build_gateway_service(runtime)
        (port,) = await service.start()
        options: dict[str, Any] = {
            "host": "127.0.0.1",
            "port": port,
            "slots": 4,
            "iccid": "89701010000000000042",
        }
        first = CabinetSimulator("ST003", b"DEMOKEY3", reconnect_delay=None, **options)
        second = CabinetSimulator("ST003", b"DEMOKEY3", reconnect_delay=None, uptime_ms=999, **options)
        try:
            assert await fact(database, "ST003", Station.iccid, Station.iccid_updated_at) == (None, None)
            await first.start()
            await until(lambda: p.IccidRequest() in first.received)
            while (await fact(database, "ST003", Station.iccid, Station.iccid_updated_at))[0] is None:
                await asyncio.sleep(0.005)
            assert await fact(database, "ST003", Station.iccid, Station.iccid_updated_at) == (
                "89701010000000000042",
                START,
            )
            await first.stop()
            await second.start()
            await second.wait_logged_in()
            await until(
                lambda: service.gateway.online("ST003") and not service.gateway.status()["ST003"].busy
            )
            assert p.IccidRequest() not in second.received
        finally:
            await first.stop()
            await second.stop()
            await service.stop()

    run(scenario())


def test_an_app_process_runs_its_gateway_on_the_device_host_and_commands_it_from_its_own_loop(
    database_url: str, database: Database, tmp_path: Path
) -> None:
    runtime = build_runtime(gateway_settings(database_url, tmp_path), database)
    host = DeviceHost(name="powerbank-test")
    cabinets = wiring.in_process(runtime, host)
    assert cabinets.service is not None
    host.start()
    try:
        for part in cabinets.parts:
            part.start()
        (port,) = cabinets.service.bound
        banks = {slot: demo_serial(1, slot) for slot in range(1, 7)}

        async def cabinet() -> CabinetSimulator:
            sim = CabinetSimulator(
                "ST001", b"DEMOKEY1", host="127.0.0.1", port=port, banks=banks, reconnect_delay=None
            )
            await sim.start()
            await sim.wait_logged_in()
            return sim

        sim = host.call(cabinet, timeout=10)

        async def from_the_api_loop() -> None:
            while not await cabinets.commands.online("ST001"):
                await asyncio.sleep(0.005)
            assert await cabinets.commands.eject("ST001", 6) == EjectResult("ST001", 6, 1, demo_serial(1, 6))

        asyncio.run(asyncio.wait_for(from_the_api_loop(), 10))
        assert sorted(sim.state.banks) == [1, 2, 3, 4, 5]
        host.call(sim.stop, timeout=10)
        for part in reversed(cabinets.parts):
            part.stop()
    finally:
        host.stop()


def test_api_workers_without_a_gateway_command_through_redis(
    database_url: str, database: Database, tmp_path: Path
) -> None:
    runtime = build_runtime(gateway_settings(database_url, tmp_path), database)
    cabinets = wiring.through_redis(runtime, "redis://127.0.0.1:1/0")
    assert isinstance(cabinets.commands, RedisCabinetCommands)
    assert (cabinets.service, [part.name for part in cabinets.parts]) == (None, ["cabinet commands (Redis)"])
    assert cabinets.commands.deadlines == Deadlines(eject=10.0, command=5.0)


def test_gateway_main_serves_cabinets_until_cancelled(
    database_url: str, database: Database, tmp_path: Path, run: Run
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = gateway_settings(database_url, tmp_path).model_copy(update={"gateway_port": port})

    async def scenario() -> None:
        main = asyncio.create_task(gateway_main(settings))
        sim = CabinetSimulator(
            "ST003", b"DEMOKEY3", host="127.0.0.1", port=port, slots=4, reconnect_delay=0.05
        )
        try:
            await sim.start()
            await sim.wait_logged_in(timeout=20)
            while await fact(database, "ST003", Station.connected_at) is None:
                await asyncio.sleep(0.005)
            main.cancel()
            await asyncio.gather(main, return_exceptions=True)
            await until(lambda: not sim.logged_in)  # the gateway went away with its connections
        finally:
            main.cancel()
            await sim.stop()

    run(scenario())
    # A gateway that stops is not a cabinet going offline: `disconnected_at` stays unset.
    assert station_fact(database, "ST003", Station.disconnected_at) is None
