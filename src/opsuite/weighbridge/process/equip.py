"""Equips a weighbridge app: its live hub, and in the process that owns the devices the bridge and its host.

One process owns one bridge's devices (`OPSUITE_WEIGHBRIDGE_DEVICES=true`, the default); other workers
serve the feeds through a Redis hub and answer 503 on the routes that command hardware. With
`OPSUITE_WEIGHBRIDGE_SIMULATORS=true` (the default) the simulated site starts first and the bridge's
default addresses are pointed at it.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from dataclasses import replace

from opsuite.core.devices import DeviceHost
from opsuite.core.realtime import build_hub
from opsuite.core.web import Lifetime, Part
from opsuite.weighbridge.bridge_settings import service as bridge_settings
from opsuite.weighbridge.process.bridge import Bridge
from opsuite.weighbridge.process.site_devices import SiteDevices
from opsuite.weighbridge.runtime import WeighbridgeRuntime
from opsuite.weighbridge.simulation.site import SimulatedSite

log = logging.getLogger(__name__)

CHANNEL_PREFIX = "opsuite:weighbridge:live:"


def equip(runtime: WeighbridgeRuntime, lifetime: Lifetime) -> Lifetime:
    """`lifetime` plus the hub and, where this process owns the devices, the simulated site, host, bridge."""
    settings = runtime.settings
    if runtime.hub is None:
        runtime.hub = build_hub(settings.core.redis_url, channel_prefix=CHANNEL_PREFIX)
    hub = runtime.hub
    parts = [shared(Part("live hub", hub.start, hub.stop)), *lifetime.parts]
    if not settings.devices:
        return replace(lifetime, parts=parts)

    host = lifetime.devices or DeviceHost(clock=runtime.clock, name="weighbridge-devices")
    site = SimulatedSite(clock=runtime.clock) if settings.simulators else None
    runtime.site = site
    made: list[Bridge] = []

    def start_bridge() -> None:
        config = bridge_settings.read_config(runtime.database)
        if made:  # started again: the same bridge (its tasks are on the host) takes the saved settings
            made[0].apply(config)
        else:
            retarget = site.retarget if site is not None and site.running else None
            factory = SiteDevices(runtime.clock)
            bridge = Bridge(
                config, host=host, hub=hub, clock=runtime.clock, factory=factory, retarget=retarget
            )
            bridge.install()
            made.append(bridge)
        runtime.bridge = made[0]

    def stop_bridge() -> None:
        runtime.bridge = None  # its tasks stop with the host

    simulators = list(lifetime.simulators)
    if site is not None:
        simulators.append(shared(Part("weighbridge simulators", site.start, site.stop)))
    if lifetime.devices is None:
        parts.append(shared(Part("weighbridge device host", host.start, host.stop)))
    parts.append(shared(Part("weighbridge bridge", start_bridge, stop_bridge)))
    return replace(lifetime, simulators=simulators, parts=parts)


def shared(part: Part) -> Part:
    """`part` started by its first start and stopped by its last stop.

    An app's lifespan can run nested (schemathesis' ASGI transport starts it inside a TestClient's), and
    the devices, simulators and hub must outlive the inner one.
    """
    users = 0

    async def start() -> None:
        nonlocal users
        users += 1
        if users == 1:
            await _call(part.start)

    async def stop() -> None:
        nonlocal users
        users -= 1
        if users == 0:
            await _call(part.stop)

    return Part(part.name, start, stop)


async def _call(action: Callable[[], object]) -> None:
    result = action()
    if inspect.isawaitable(result):
        await result
