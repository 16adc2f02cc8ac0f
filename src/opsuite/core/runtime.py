"""The runtime every system builds once per process and hands, explicitly, to whatever needs it."""

from __future__ import annotations

from dataclasses import dataclass

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.core.db import Database
from opsuite.core.settings import SystemSettings


@dataclass(kw_only=True)
class Runtime:
    """The collaborators of one running system; a system subclasses it with its own typed fields."""

    settings: SystemSettings
    database: Database
    clock: Clock = SYSTEM_CLOCK
