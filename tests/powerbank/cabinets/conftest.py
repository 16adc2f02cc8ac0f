"""Cabinet domain fixtures: scenarios under asyncio.run, bounded so a hang fails instead of stalling."""

from __future__ import annotations

from tests.powerbank.devices.conftest import run

__all__ = ["run"]
