"""Production fixtures: a migrated template database copied per test, the app with an in-process runner."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from opsuite.core.db import Database
from opsuite.production.app import create_app
from opsuite.production.settings import ProductionSettings
from tests.clock import FakeClock
from tests.production.helpers import Api
from tests.templates import template_for

START = dt.datetime(2025, 1, 15, 10, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The migrated template of this run's backend."""
    yield from template_for(tmp_path_factory, "opsuite.production", lambda _url: None)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> ProductionSettings:
    """Settings on the test's database: no scheduler thread, files under tmp_path, no retry delay."""
    return ProductionSettings(
        database_url=database_url,
        scheduler_enabled=False,
        webhook_retry_base_seconds=0,
        core={"var_dir": tmp_path},
    )


@pytest.fixture
def clock() -> FakeClock:
    """The app's clock, moved by the test."""
    return FakeClock(START)


@pytest.fixture
def app(settings: ProductionSettings, database: Database, clock: FakeClock) -> Any:
    """The production app on the test's database and clock."""
    return create_app(settings, database, clock=clock)


@pytest.fixture
def api(client: TestClient) -> Api:
    """Shortcuts over the client."""
    return Api(client)
