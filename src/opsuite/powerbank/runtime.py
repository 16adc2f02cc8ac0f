"""What powerbank operations need at hand: database, settings, clock, the station-key cipher, the cabinets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.core.db import Database
from opsuite.core.runtime import Runtime as CoreRuntime
from opsuite.powerbank.crypto import KeyCipher
from opsuite.powerbank.settings import PowerbankSettings

if TYPE_CHECKING:
    from opsuite.powerbank.cabinets.commands import CabinetCommands
    from opsuite.powerbank.simulation.fleet import SimulatorFleet


@dataclass(kw_only=True)
class Runtime(CoreRuntime):
    """The collaborators of one running powerbank system, shared by the API, its jobs and the gateway."""

    settings: PowerbankSettings
    cipher: KeyCipher
    _cabinets: CabinetCommands | None = field(default=None, repr=False)
    simulators: SimulatorFleet = field(default_factory=lambda: _fleet())
    """The simulated cabinets running in this process (none unless `opsuite serve` starts them)."""

    @property
    def cabinets(self) -> CabinetCommands:
        """The commands to the cabinets, wherever their gateway runs (`create_app` wires them)."""
        if self._cabinets is None:
            raise RuntimeError("cabinets are not wired: create_app wires them (cabinets.wiring)")
        return self._cabinets

    def wire_cabinets(self, commands: CabinetCommands) -> None:
        """Send cabinet commands through `commands` from now on."""
        self._cabinets = commands

    @property
    def zone(self) -> ZoneInfo:
        """The zone timestamps are shown in."""
        return ZoneInfo(self.settings.timezone)


def _fleet() -> SimulatorFleet:
    from opsuite.powerbank.simulation.fleet import SimulatorFleet

    return SimulatorFleet()


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
