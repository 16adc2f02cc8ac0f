"""What device operations need at hand: the database, settings, the cipher, the scale factory, a clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from opsuite.core.db import Database
from opsuite.core.jobs import Clock, utcnow
from opsuite.scales.crypto import DeviceCipher
from opsuite.scales.devices.interface import ScaleFactory
from opsuite.scales.settings import ScalesSettings


@dataclass(frozen=True)
class Runtime:
    """The collaborators of one running scales system, shared by the API and its jobs."""

    database: Database
    settings: ScalesSettings
    cipher: DeviceCipher
    device_factory: ScaleFactory
    clock: Clock = field(default=utcnow)

    @property
    def zone(self) -> ZoneInfo:
        """The store's time zone."""
        return ZoneInfo(self.settings.timezone)
