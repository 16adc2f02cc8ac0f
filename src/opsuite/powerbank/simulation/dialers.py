"""`opsuite simulate powerbank`: cabinets that dial a running gateway, the demo cabinets first."""

from __future__ import annotations

import asyncio

from opsuite.core.system import SimulateOptions
from opsuite.powerbank.demo_cabinets import DEMO_CABINETS, DemoCabinet
from opsuite.powerbank.devices.simulator import CabinetSimulator, Fault

EXTRA_SLOTS = 8


def cabinet_number(index: int) -> DemoCabinet:
    """The `index`-th simulated cabinet: a demo cabinet, then empty `ST004`, `ST005`... (pending stations)."""
    if index < len(DEMO_CABINETS):
        return DEMO_CABINETS[index]
    number = index + 1
    return DemoCabinet(f"ST{number:03d}", f"DEMOKEY{number}", EXTRA_SLOTS)


async def run_dialers(options: SimulateOptions) -> None:
    """Run `options.count` cabinets dialling `options.host:options.base_port` until cancelled."""
    simulators: list[CabinetSimulator] = []
    for index in range(options.count):
        cabinet = cabinet_number(index)
        key = options.password if options.password is not None else cabinet.secret_key
        simulator = CabinetSimulator(
            cabinet.box_id,
            key.encode(),
            host=options.host,
            port=options.base_port,
            slots=cabinet.slots,
            banks=cabinet.banks,
            delay_scale=1.0,
        )
        if options.fault:
            simulator.set_fault(Fault(options.fault))
        await simulator.start()
        simulators.append(simulator)
        fault = f", fault {options.fault}" if options.fault else ""
        options.announce(f"cabinet {cabinet.box_id} dialling {options.host}:{options.base_port}{fault}")
    try:
        await asyncio.Event().wait()
    finally:
        for simulator in simulators:
            await simulator.stop()
