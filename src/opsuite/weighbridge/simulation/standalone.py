"""`opsuite simulate weighbridge`: simulated sites in a process of their own, until interrupted."""

from __future__ import annotations

import asyncio

from opsuite.core.system import SimulateOptions
from opsuite.weighbridge.simulation.site import SimulatedSite

PORTS_PER_SITE = ("indicator", "modbus", "camera_in", "camera_out")


def site_ports(base_port: int, index: int) -> dict[str, int]:
    """The four ports of site `index`: consecutive from `base_port` (0: free ports)."""
    first = base_port + index * len(PORTS_PER_SITE) if base_port else 0
    return {name: first + offset if first else 0 for offset, name in enumerate(PORTS_PER_SITE)}


def describe(site: SimulatedSite) -> str:
    """Where a site listens, as the settings would name it."""
    return (
        f"weighbridge site: scale_port={site.indicator.url} io_host={site.host} io_port={site.modbus.port} "
        f"camera_in_ip={site.host}:{site.cameras[1].port} camera_out_ip={site.host}:{site.cameras[2].port}"
    )


async def simulate(options: SimulateOptions) -> None:
    """Start `count` sites and announce them; stop them when cancelled."""
    sites = [
        SimulatedSite(host=options.host, ports=site_ports(options.base_port, i)) for i in range(options.count)
    ]
    try:
        for site in sites:
            await site.start()
            options.announce(describe(site))
        await asyncio.Event().wait()
    finally:
        for site in sites:
            if site.running:
                await site.stop()
