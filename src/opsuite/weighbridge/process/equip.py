"""Equips a weighbridge app: its live hub, and in the process that owns the devices the bridge and its host.

One process owns one bridge's devices (`OPSUITE_WEIGHBRIDGE_DEVICES=true`, the default); other workers
serve the feeds through a Redis hub and answer 503 on the routes that command hardware. With
`OPSUITE_WEIGHBRIDGE_SIMULATORS=true` (the default) the simulated site starts first and the bridge's
default addresses are pointed at it.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from pydantic import ValidationError

from opsuite.core.db import Database
from opsuite.core.devices import DeviceHost
from opsuite.core.realtime import build_hub
from opsuite.core.web import Lifetime, Part
from opsuite.weighbridge.bridge_settings.models import ROW_ID, BridgeSettingsRow
from opsuite.weighbridge.config import BridgeConfig
from opsuite.weighbridge.process.bridge import Bridge
from opsuite.weighbridge.process.site_devices import SiteDevices
from opsuite.weighbridge.runtime import WeighbridgeRuntime
from opsuite.weighbridge.simulation.site import SimulatedSite

log = logging.getLogger(__name__)

CHANNEL_PREFIX = "opsuite:weighbridge:live:"


def stored_config(database: Database) -> BridgeConfig:
    """The saved device settings, or the defaults (also when the saved ones no longer validate)."""
    with database.session(write=False) as session:
        row = session.get(BridgeSettingsRow, ROW_ID)
        data = row.data if row is not None else None
    if data is None:
        return BridgeConfig()
    try:
        return BridgeConfig.model_validate_json(data)
    except ValidationError as error:
        log.warning("saved weighbridge settings are invalid (%s); using the defaults", error)
        return BridgeConfig()


def equip(runtime: WeighbridgeRuntime, lifetime: Lifetime) -> Lifetime:
    """`lifetime` plus the hub and, where this process owns the devices, the simulated site, host, bridge."""
    settings = runtime.settings
    if runtime.hub is None:
        runtime.hub = build_hub(settings.core.redis_url, channel_prefix=CHANNEL_PREFIX)
    hub = runtime.hub
    parts = [Part("live hub", hub.start, hub.stop), *lifetime.parts]
    if not settings.devices:
        return replace(lifetime, parts=parts)

    host = lifetime.devices or DeviceHost(clock=runtime.clock, name="weighbridge-devices")
    site = SimulatedSite(clock=runtime.clock) if settings.simulators else None
    runtime.site = site

    def start_bridge() -> None:
        retarget = site.retarget if site is not None and site.running else None
        bridge = Bridge(
            stored_config(runtime.database),
            host=host,
            hub=hub,
            clock=runtime.clock,
            factory=SiteDevices(runtime.clock),
            retarget=retarget,
        )
        bridge.install()
        runtime.bridge = bridge

    def stop_bridge() -> None:
        runtime.bridge = None  # its tasks stop with the host

    simulators = list(lifetime.simulators)
    if site is not None:
        simulators.append(Part("weighbridge simulators", site.start, site.stop))
    return replace(
        lifetime,
        simulators=simulators,
        devices=host,
        parts=[*parts, Part("weighbridge bridge", start_bridge, stop_bridge)],
    )
