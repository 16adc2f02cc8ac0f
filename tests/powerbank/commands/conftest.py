"""A real gateway on 127.0.0.1 (on a device host's loop) with the demo cabinet ST001 simulated, wired into the app."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from opsuite.core.devices import DeviceHost
from opsuite.powerbank.cabinets.commands import Deadlines, LocalCabinetCommands
from opsuite.powerbank.devices.gateway import TcpCabinetGateway
from opsuite.powerbank.devices.simulator import CabinetSimulator
from tests.clock import FakeClock
from tests.powerbank.devices.rig import Recorder, until

BOX = "ST001"
KEYS = {BOX: b"DEMOKEY1"}
BANK_1 = "4443484154000101"
BANK_2 = "4443484154000102"
ICCID = "89701010000000000077"


@dataclass
class Cabinet:
    """The simulated cabinet and the gateway it dialled."""

    gateway: TcpCabinetGateway
    sim: CabinetSimulator


async def _keys(box_id: str) -> bytes | None:
    return KEYS.get(box_id)


@pytest.fixture
def cabinet(app: Any) -> Iterator[Cabinet]:
    """ST001 logged in with banks in slots 1 and 2; `runtime.cabinets` set on the app."""
    host = DeviceHost(name="powerbank-test")
    host.start()
    holder: dict[str, Any] = {}

    async def up() -> None:
        gateway = TcpCabinetGateway(_keys, Recorder(), clock=FakeClock())
        port = await gateway.start("127.0.0.1", 0)
        sim = CabinetSimulator(
            BOX,
            KEYS[BOX],
            host="127.0.0.1",
            port=port,
            reconnect_delay=0.01,
            banks={1: BANK_1, 2: BANK_2},
            iccid=ICCID,
        )
        await sim.start()
        await sim.wait_logged_in()
        await until(lambda: gateway.online(BOX))
        holder["cabinet"] = Cabinet(gateway, sim)

    async def down() -> None:
        await holder["cabinet"].sim.stop()
        await holder["cabinet"].gateway.stop()

    try:
        host.call(up, timeout=10)
        cabinet = holder["cabinet"]
        deadlines = Deadlines(eject=2.0, command=2.0)
        app.state.runtime.wire_cabinets(LocalCabinetCommands(cabinet.gateway, host=host, deadlines=deadlines))
        yield cabinet
        host.call(down, timeout=10)
    finally:
        host.stop()
