"""What weighbridge operations need at hand: database, settings, clock, token checks, and the bridge."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.core.db import Database
from opsuite.core.realtime import Hub
from opsuite.core.runtime import Runtime as CoreRuntime
from opsuite.core.security import TokenCache
from opsuite.weighbridge.photos.storage import PhotoStore
from opsuite.weighbridge.settings import WeighbridgeSettings

if TYPE_CHECKING:
    from opsuite.weighbridge.simulation.site import SimulatedSite

AUDIENCE = "weighbridge"
"""The `aud` of this system's tokens."""


class Bridge(Protocol):
    """The part of the bridge controller the settings routes use (wb-process owns the controller)."""

    def apply(self, config: Any) -> None:
        """Take new device settings at once (reconnect what changed)."""
        ...


@dataclass(kw_only=True)
class WeighbridgeRuntime(CoreRuntime):
    """The collaborators of one running weighbridge, built once per process and handed explicitly."""

    settings: WeighbridgeSettings
    tokens: TokenCache
    bridge: Bridge | None = None
    """The controller owning the devices, in the process that owns them."""
    hub: Hub | None = None
    """The live hub the WebSockets subscribe to."""
    site: SimulatedSite | None = None
    """The simulated site, where this process runs one (the simulator control API drives it)."""

    @property
    def zone(self) -> ZoneInfo:
        """The site's time zone."""
        return ZoneInfo(self.settings.timezone)

    @property
    def photos(self) -> PhotoStore:
        """Where photos of weighings are stored."""
        return PhotoStore(self.settings.static_root, self.zone)


def build_runtime(
    settings: WeighbridgeSettings, database: Database | None = None, *, clock: Clock = SYSTEM_CLOCK
) -> WeighbridgeRuntime:
    """The runtime on `settings` (no bridge yet: the process that owns the devices adds it)."""
    return WeighbridgeRuntime(
        settings=settings,
        database=database or Database(settings.db_url),
        clock=clock,
        tokens=TokenCache(settings.signing_key, audience=AUDIENCE, clock=clock),
    )
