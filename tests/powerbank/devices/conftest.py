"""Cabinet device fixtures: scenarios run under asyncio.run, bounded so a hang fails instead of stalling."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

# Far above any scenario's own waits.
SCENARIO_LIMIT = 30.0


@pytest.fixture
def run() -> Callable[[Coroutine[Any, Any, Any]], Any]:
    """Run a scenario coroutine on a fresh event loop."""
    return lambda scenario: asyncio.run(asyncio.wait_for(scenario, SCENARIO_LIMIT))
