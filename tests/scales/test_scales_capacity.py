"""A database that is down, or a pool that stays full, is 503 `{"detail": ...}` with Retry-After, never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tests.scales.helpers import ALICE

from opsuite.core.capacity import CapacitySettings
from opsuite.core.db import Database
from opsuite.scales.app import create_app
from opsuite.scales.messages import DATABASE_BUSY, DATABASE_DOWN
from opsuite.scales.settings import ScalesSettings

LOGIN = {"username": ALICE[0], "password": ALICE[1]}


def test_a_database_that_is_down_is_503_in_the_envelope(
    settings: ScalesSettings, down_database_url: str
) -> None:
    down = settings.model_copy(update={"database_url": down_database_url})
    client = TestClient(create_app(down), raise_server_exceptions=False)  # no lifespan: it would refuse
    response = client.post("/auth/login", data=LOGIN)
    assert (response.status_code, response.json()) == (503, {"detail": DATABASE_DOWN})
    assert response.headers["retry-after"] == "2"


def test_serving_without_a_database_fails_at_startup(
    settings: ScalesSettings, down_database_url: str
) -> None:
    down = settings.model_copy(update={"database_url": down_database_url})
    refused = pytest.raises(RuntimeError, match=r"^scales: the database does not answer \(")
    with refused, TestClient(create_app(down)):
        pass


def test_a_pool_that_stays_full_is_503_with_retry_after(settings: ScalesSettings, database_url: str) -> None:
    small = Database(database_url, capacity=CapacitySettings(pool_size=1, max_overflow=0, wait_seconds=0.3))
    try:
        client = TestClient(create_app(settings, small), raise_server_exceptions=False)
        with small.engine.connect():  # the only connection, held
            response = client.post("/auth/login", data=LOGIN)
        assert (response.status_code, response.json()) == (503, {"detail": DATABASE_BUSY})
        assert response.headers["retry-after"] == "2"
    finally:
        small.dispose()
