"""Weighbridge fixtures: a migrated template database with an administrator and an operator, copied per test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from opsuite.core.db import Database
from opsuite.weighbridge.app import create_app
from opsuite.weighbridge.settings import WeighbridgeSettings
from opsuite.weighbridge.users import service as users_service
from opsuite.weighbridge.users.schemas import UserCreate
from tests.clock import FakeClock
from tests.templates import template_for
from tests.weighbridge.helpers import ADMIN, OPERATOR, SECRET, Api, login

START = dt.datetime(2026, 2, 1, 5, 30, tzinfo=dt.UTC)
"""10:30 in Tashkent."""


def _add_users(url: str) -> None:
    database = Database(url)
    with database.session() as session:
        users_service.set_superuser(session, phone=ADMIN[0], password=ADMIN[1])
        users_service.create_user(session, new=UserCreate(phone_number=OPERATOR[0], password=OPERATOR[1]))
    database.dispose()


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The migrated template of this run's backend."""
    yield from template_for(tmp_path_factory, "opsuite.weighbridge", _add_users)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> WeighbridgeSettings:
    """Settings on the test's database, a fixed key, photos under the test's folder."""
    return WeighbridgeSettings(
        database_url=database_url,
        secret_key=SECRET,
        core={"var_dir": tmp_path},
        devices=False,  # no device host or simulators; tests/weighbridge/process runs them
        simulators=False,
    )


@pytest.fixture
def clock() -> FakeClock:
    """The app's clock, moved by the test."""
    return FakeClock(START)


@pytest.fixture
def app(settings: WeighbridgeSettings, database: Database, clock: FakeClock) -> Any:
    """The weighbridge app on the test's database and clock."""
    return create_app(settings, database, clock=clock)


@pytest.fixture
def admin(client: TestClient) -> Api:
    """The superuser, logged in."""
    return Api(client, login(client, *ADMIN))


@pytest.fixture
def operator(client: TestClient) -> Api:
    """An operator (not a superuser), logged in."""
    return Api(client, login(client, *OPERATOR))
