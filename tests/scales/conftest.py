"""Shared fixtures for the scales tests; pytest-asyncio is not used, coroutines run under asyncio.run."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

# Far above any scenario's own deadlines: a hung scenario fails instead of stalling the suite.
SCENARIO_LIMIT = 60.0


@pytest.fixture
def run() -> Callable[[Coroutine[Any, Any, Any]], Any]:
    """Run a coroutine to completion on a fresh event loop, bounded in time."""

    def runner(coro: Coroutine[Any, Any, Any]) -> Any:
        async def bounded() -> Any:
            async with asyncio.timeout(SCENARIO_LIMIT):
                return await coro

        return asyncio.run(bounded())

    return runner
