"""A gateway on 127.0.0.1 port 0 with recorded events, and simulated cabinets dialling it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from opsuite.powerbank.devices.gateway import GatewayTimeouts, TcpCabinetGateway
from opsuite.powerbank.devices.interface import InventoryReport, LoginReport, ReturnVerdict, SlotRecord
from opsuite.powerbank.devices.simulator import CabinetSimulator
from tests.clock import FakeClock

BOX = "DCHEY02599000001"
KEY = b"EXAMPLE1"
OTHER_BOX = "DCHEY02599000002"
OTHER_KEY = b"EXAMPLE2"
KEYS = {BOX: KEY, OTHER_BOX: OTHER_KEY}
BANK_1 = "4443484154000031"
BANK_2 = "4443484154000032"
BANK_3 = "4443484154000033"


async def until(condition: Callable[[], bool]) -> None:
    """Wait for `condition` to hold, yielding to the loop (the scenario limit bounds it)."""
    while not condition():
        await asyncio.sleep(0.001)


async def settle() -> None:
    """Let every ready callback and socket read run a few times over."""
    for _ in range(20):
        await asyncio.sleep(0.001)


class Recorder:
    """CabinetEvents that keeps every call, answering returns with `verdict` (or raising `return_errors`)."""

    def __init__(self) -> None:
        self.log: list[tuple[Any, ...]] = []
        self.verdict = ReturnVerdict.ACCEPTED
        self.return_errors: list[Exception] = []

    def kinds(self) -> list[str]:
        return [entry[0] for entry in self.log]

    def of(self, kind: str) -> list[tuple[Any, ...]]:
        return [entry for entry in self.log if entry[0] == kind]

    async def on_login(self, report: LoginReport) -> None:
        self.log.append(("login", report))

    async def on_inventory(self, report: InventoryReport) -> None:
        self.log.append(("inventory", report))

    async def on_return(self, station_id: str, slot: int, powerbank_id: str, record: SlotRecord) -> int:
        if self.return_errors:
            raise self.return_errors.pop(0)
        self.log.append(("return", station_id, slot, powerbank_id, record))
        return self.verdict

    async def on_slot_abnormal(self, station_id: str, slot: int, event: int, terminal_id: str) -> None:
        self.log.append(("abnormal", station_id, slot, event, terminal_id))

    async def on_offline(self, station_id: str, reason: str) -> None:
        self.log.append(("offline", station_id, reason))


async def known_keys(station_id: str) -> bytes | None:
    return KEYS.get(station_id)


class Rig:
    """A running gateway on a fake clock, and the cabinets a test starts against it."""

    def __init__(self, gateway: TcpCabinetGateway, events: Recorder, clock: FakeClock, port: int) -> None:
        self.gateway = gateway
        self.events = events
        self.clock = clock
        self.port = port
        self.cabinets: list[CabinetSimulator] = []

    async def cabinet(
        self, box_id: str = BOX, key: bytes = KEY, *, login: bool = True, **options: Any
    ) -> CabinetSimulator:
        """Start a simulated cabinet (answering at once, redialling after 10 ms) and wait for its login."""
        options.setdefault("reconnect_delay", 0.01)
        sim = CabinetSimulator(box_id, key, host="127.0.0.1", port=self.port, **options)
        self.cabinets.append(sim)
        await sim.start()
        if login:
            await sim.wait_logged_in()
            await until(lambda: self.gateway.online(box_id))
        return sim


@asynccontextmanager
async def rig(*, inventory_after_events: bool = True, **timeouts: Any) -> AsyncIterator[Rig]:
    """A gateway listening on 127.0.0.1 port 0 on a fake clock; `timeouts` are GatewayTimeouts fields."""
    events = Recorder()
    clock = FakeClock()
    gateway = TcpCabinetGateway(
        known_keys,
        events,
        clock=clock,
        timeouts=GatewayTimeouts(**timeouts),
        inventory_after_events=inventory_after_events,
    )
    port = await gateway.start("127.0.0.1", 0)
    running = Rig(gateway, events, clock, port)
    try:
        yield running
    finally:
        for sim in running.cabinets:
            await sim.stop()
        await gateway.stop()
