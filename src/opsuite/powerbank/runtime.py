"""What powerbank operations need at hand: database, settings, clock, the station-key cipher."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.core.db import Database
from opsuite.core.runtime import Runtime as CoreRuntime
from opsuite.powerbank.crypto import KeyCipher
from opsuite.powerbank.settings import PowerbankSettings


@dataclass(kw_only=True)
class Runtime(CoreRuntime):
    """The collaborators of one running powerbank system, shared by the API, its jobs and the gateway."""

    settings: PowerbankSettings
    cipher: KeyCipher

    @property
    def zone(self) -> ZoneInfo:
        """The zone timestamps are shown in."""
        return ZoneInfo(self.settings.timezone)


def build_runtime(
    settings: PowerbankSettings, database: Database | None = None, *, clock: Clock = SYSTEM_CLOCK
) -> Runtime:
    """The runtime on `settings`."""
    return Runtime(
        settings=settings,
        database=database or Database(settings.db_url),
        clock=clock,
        cipher=KeyCipher(settings.fernet_keys),
    )
