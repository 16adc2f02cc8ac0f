"""Scales fixtures: coroutines under asyncio.run (no pytest-asyncio), and a migrated template database per test."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.clock import FakeClock
from tests.scales.helpers import ALICE, BOB, FERNET_KEY, SECRET, Api, Scales, login
from tests.templates import template_for

from opsuite.core.db import Database
from opsuite.scales.app import create_app
from opsuite.scales.settings import ScalesSettings
from opsuite.scales.users import service as users_service

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


# --- API fixtures: a migrated template database copied per test, as tests/waybills does -------------


START = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


def _add_users(url: str) -> None:
    database = Database(url)
    with database.session() as session:
        for email, password in (ALICE, BOB):
            users_service.register(session, email=email, password=password)
    database.dispose()


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The migrated template of this run's backend."""
    yield from template_for(tmp_path_factory, "opsuite.scales", _add_users)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> ScalesSettings:
    """Settings on the test's database: no simulator, no scheduler thread, a fixed key."""
    return ScalesSettings(
        database_url=database_url,
        secret_key=SECRET,
        fernet_key=FERNET_KEY,
        simulator=False,
        scheduler_enabled=False,
        scale_timeout=0.5,
        scale_deadline=2.0,
        core={"var_dir": tmp_path},
    )


@pytest.fixture
def clock() -> FakeClock:
    """The app's clock, moved by the test."""
    return FakeClock(START)


@pytest.fixture
def scales() -> Scales:
    """Fake scales by port."""
    return Scales()


@pytest.fixture
def app(settings: ScalesSettings, database: Database, scales: Scales, clock: FakeClock) -> Any:
    """The scales app on the test's database with fake scales and the test's clock."""
    return create_app(settings, database, scales.factory, clock=clock)


@pytest.fixture
def alice(client: TestClient) -> Api:
    """Alice, logged in."""
    return Api(client, login(client, *ALICE))


@pytest.fixture
def bob(client: TestClient) -> Api:
    """Bob, logged in."""
    return Api(client, login(client, *BOB))
