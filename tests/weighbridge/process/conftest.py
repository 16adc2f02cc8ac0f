"""The weighbridge app with its simulated site and bridge on the real clock: devices talk over sockets."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from opsuite.core.clock import SYSTEM_CLOCK
from opsuite.core.db import Database
from opsuite.weighbridge.app import create_app
from opsuite.weighbridge.process.bridge import Bridge
from opsuite.weighbridge.settings import WeighbridgeSettings
from opsuite.weighbridge.simulation.site import SimulatedSite
from tests.weighbridge.process.rig import eventually

QUICK = {"stable_duration_s": 0.3, "camera_timeout_s": 1.0}
"""Settle in 0.3 s instead of 2, so a weighing takes a moment of real time."""


@pytest.fixture
def app(settings: WeighbridgeSettings, database: Database) -> Any:
    """The app on the test's database, owning the devices of its simulated site, on the real clock."""
    owner = settings.model_copy(update={"devices": True, "simulators": True})
    return create_app(owner, database, clock=SYSTEM_CLOCK)


@pytest.fixture
def bridge(client: TestClient) -> Bridge:
    """The app's bridge, quickened, once every device answers."""
    bridge = client.app.state.runtime.bridge  # type: ignore[attr-defined]
    assert isinstance(bridge, Bridge)
    bridge.apply(bridge.config.merged(QUICK))
    eventually(
        lambda: all(
            bridge.status()[key] for key in ("controller", "scale_connection", "camera_1", "camera_2")
        )
    )
    return bridge


@pytest.fixture
def site(client: TestClient) -> SimulatedSite:
    """The app's simulated site."""
    site = client.app.state.runtime.site  # type: ignore[attr-defined]
    assert isinstance(site, SimulatedSite)
    return site


@pytest.fixture
def until() -> Callable[[Callable[[], bool]], None]:
    """Wait, bounded, until the devices made a condition true."""
    return eventually


@pytest.fixture
def no_devices_client(settings: WeighbridgeSettings, database: Database) -> Iterator[TestClient]:
    """An API worker that owns no devices (and so runs no simulators)."""
    with TestClient(create_app(settings, database, clock=SYSTEM_CLOCK)) as client:
        yield client
