"""The demo cabinets' simulators `opsuite serve` runs, dialling this process's gateway (notes §5)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import select

from opsuite.core.web import Part
from opsuite.powerbank.demo_cabinets import DEMO_CABINETS, DemoCabinet
from opsuite.powerbank.devices.simulator import CabinetSimulator
from opsuite.powerbank.runtime import Runtime
from opsuite.powerbank.stations.models import Station

log = logging.getLogger(__name__)


class SimulatorFleet:
    """The running simulators by box id, for the simulator control API."""

    def __init__(self) -> None:
        self.by_box: dict[str, CabinetSimulator] = {}

    def get(self, box_id: str) -> CabinetSimulator | None:
        """The simulator of `box_id`, if one runs here."""
        return self.by_box.get(box_id)

    async def stop(self) -> None:
        """Hang every simulator up."""
        while self.by_box:
            _box, simulator = self.by_box.popitem()
            await simulator.stop()


def demo_present(runtime: Runtime) -> list[DemoCabinet]:
    """The demo cabinets whose stations exist (a database without demo data gets no simulators)."""
    boxes = [cabinet.box_id for cabinet in DEMO_CABINETS]
    with runtime.database.session() as session:
        present = set(session.scalars(select(Station.box_id).where(Station.box_id.in_(boxes))))
    return [cabinet for cabinet in DEMO_CABINETS if cabinet.box_id in present]


def simulators_part(
    runtime: Runtime,
    fleet: SimulatorFleet,
    gateway_port: Callable[[], int],
) -> Part:
    """Start one simulator per demo station present, dialling `gateway_port()` once the gateway listens."""

    async def start() -> None:
        port = gateway_port()
        for cabinet in demo_present(runtime):
            simulator = CabinetSimulator(
                cabinet.box_id,
                cabinet.secret_key.encode(),
                host=runtime.settings.gateway_host,
                port=port,
                slots=cabinet.slots,
                banks=cabinet.banks,
                delay_scale=runtime.settings.simulator_delay_scale,
            )
            await simulator.start()
            fleet.by_box[cabinet.box_id] = simulator
        log.info("cabinet simulators dialling port %s: %s", port, ", ".join(fleet.by_box) or "none")

    return Part("cabinet simulators", start, fleet.stop)
