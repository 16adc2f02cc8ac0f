"""A database that is down, or a pool that stays full, is 503 `{"detail": ...}` with Retry-After, never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from opsuite.core.capacity import CapacitySettings
from opsuite.core.db import Database
from opsuite.production.app import create_app
from opsuite.production.errors import DATABASE_BUSY, DATABASE_DOWN
from opsuite.production.settings import ProductionSettings
from tests.clock import FakeClock


def test_a_database_that_is_down_is_503_in_the_envelope(
    settings: ProductionSettings, down_database_url: str, clock: FakeClock
) -> None:
    down = settings.model_copy(update={"database_url": down_database_url})
    client = TestClient(create_app(down, clock=clock), raise_server_exceptions=False)  # no lifespan
    response = client.get("/api/batches")
    assert (response.status_code, response.json()) == (503, {"detail": DATABASE_DOWN})
    assert response.headers["retry-after"] == "2"


def test_serving_without_a_database_fails_at_startup(
    settings: ProductionSettings, down_database_url: str, clock: FakeClock
) -> None:
    down = settings.model_copy(update={"database_url": down_database_url})
    refused = pytest.raises(RuntimeError, match=r"^production: the database does not answer \(")
    with refused, TestClient(create_app(down, clock=clock)):
        pass


def test_a_pool_that_stays_full_is_503_with_retry_after(
    settings: ProductionSettings, database_url: str, clock: FakeClock
) -> None:
    small = Database(database_url, capacity=CapacitySettings(pool_size=1, max_overflow=0, wait_seconds=0.3))
    try:
        client = TestClient(create_app(settings, small, clock=clock), raise_server_exceptions=False)
        with small.engine.connect():  # the only connection, held
            response = client.get("/api/batches")
        assert (response.status_code, response.json()) == (503, {"detail": DATABASE_BUSY})
        assert response.headers["retry-after"] == "2"
    finally:
        small.dispose()
