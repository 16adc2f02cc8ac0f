"""Weighbridge device fixtures: each coroutine runs on a fresh event loop under a hard bound, so nothing hangs."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

HANG_GUARD_S = 20.0
"""Not a timing assertion: a wedged socket fails the test instead of stalling the suite."""

Run = Callable[[Coroutine[Any, Any, Any]], Any]


@pytest.fixture
def run() -> Run:
    """Run one coroutine to completion on its own loop."""

    def runner(coro: Coroutine[Any, Any, Any]) -> Any:
        async def guarded() -> Any:
            async with asyncio.timeout(HANG_GUARD_S):
                return await coro

        return asyncio.run(guarded())

    return runner
