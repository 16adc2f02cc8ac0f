"""The app with its gateway on a free port and the demo simulators dialling it, answering at once."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from opsuite.powerbank.runtime import Runtime
from opsuite.powerbank.settings import PowerbankSettings

WAIT = 10.0
"""Real seconds a test waits for sockets to connect (a bound, never a measurement)."""


@pytest.fixture
def settings(settings: PowerbankSettings) -> PowerbankSettings:
    return settings.model_copy(update={"simulators": True, "simulator_delay_scale": 0.0})


def wait_for(condition: Callable[[], bool]) -> None:
    """Poll `condition` until it holds (fails after WAIT real seconds)."""
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


@pytest.fixture
def runtime(client: TestClient) -> Runtime:
    """The running app's runtime, once every demo cabinet logged in."""
    runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
    wait_for(lambda: len(runtime.simulators.by_box) == 3)
    wait_for(lambda: all(sim.logged_in for sim in runtime.simulators.by_box.values()))
    return runtime


def on_app_loop(client: TestClient, call: Callable[[], Any]) -> Any:
    """Await `call()` on the app's loop (where routes run)."""

    async def invoke() -> Any:
        return await call()

    assert client.portal is not None
    return client.portal.call(invoke)
