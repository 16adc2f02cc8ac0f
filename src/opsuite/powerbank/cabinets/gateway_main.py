"""`opsuite gateway powerbank`: the process that owns the cabinets' connections (notes §6, "Processes")."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.powerbank.cabinets.events import DatabaseCabinetEvents, record_iccid, record_last_seen
from opsuite.powerbank.cabinets.gateway_service import GatewayService
from opsuite.powerbank.cabinets.keys import DatabaseStationKeys
from opsuite.powerbank.devices.gateway import GatewayTimeouts, TcpCabinetGateway
from opsuite.powerbank.devices.interface import CabinetError
from opsuite.powerbank.runtime import Runtime, build_runtime
from opsuite.powerbank.settings import PowerbankSettings

log = logging.getLogger(__name__)

LAST_SEEN_EVERY = 60.0
"""Heartbeats are persisted at most this often (notes §4.6): 10,000 cabinets would otherwise write 333/s."""


def build_gateway_service(runtime: Runtime) -> GatewayService:
    """The gateway on the runtime's database and settings; with a Redis URL, commandable from any worker."""
    settings = runtime.settings
    events = DatabaseCabinetEvents(runtime.database, clock=runtime.clock)
    timeouts = GatewayTimeouts(
        eject=settings.eject_timeout_s,
        command=settings.command_timeout_s,
        offline_after=settings.offline_after_s,
    )
    service = GatewayService(
        DatabaseStationKeys(runtime.database, runtime.cipher, clock=runtime.clock),
        events,
        host=settings.gateway_host,
        ports=[settings.gateway_port],
        redis_url=settings.core.redis_url,
        timeouts=timeouts,
        clock=runtime.clock,
    )
    events.lacking_iccid = lambda station_id: service.spawn(ask_iccid(runtime, service.gateway, station_id))
    return service


async def ask_iccid(runtime: Runtime, gateway: TcpCabinetGateway, station_id: str) -> None:
    """Ask a cabinet for its SIM card number and keep it (the original never stored it)."""
    try:
        iccid = await gateway.read_iccid(station_id)
    except CabinetError as error:
        log.info("cabinet %s did not tell its ICCID: %s", station_id, error)
        return

    def write() -> None:
        with runtime.database.session() as session:
            record_iccid(session, station_id, iccid, now=runtime.clock.now())

    await asyncio.to_thread(write)


async def keep_last_seen(
    runtime: Runtime, gateway: TcpCabinetGateway, *, every: float = LAST_SEEN_EVERY
) -> None:
    """Write when each connected cabinet was last heard, every `every` seconds, until cancelled."""
    while True:
        await runtime.clock.sleep(every)
        seen = {station: status.last_seen for station, status in gateway.status().items()}
        if not seen:
            continue

        try:
            await asyncio.to_thread(_write_last_seen, runtime, seen)
        except Exception:
            log.exception("cannot record when %d cabinets were last seen", len(seen))


def _write_last_seen(runtime: Runtime, seen: dict[str, datetime]) -> None:
    with runtime.database.session() as session:
        record_last_seen(session, seen)


async def gateway_main(settings: PowerbankSettings, *, clock: Clock = SYSTEM_CLOCK) -> None:
    """Serve the cabinets until cancelled (the CLI runs it under `asyncio.run`)."""
    runtime = build_runtime(settings, clock=clock)
    service = build_gateway_service(runtime)
    await service.start()
    last_seen = asyncio.create_task(
        keep_last_seen(runtime, service.gateway), name="powerbank-gateway:last-seen"
    )
    try:
        await asyncio.Event().wait()
    finally:
        last_seen.cancel()
        await asyncio.gather(last_seen, return_exceptions=True)
        await service.stop()
        runtime.database.dispose()
