"""Powerbank fixtures: a migrated template with the demo data copied per test, the app on a fake clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from opsuite.core.db import Database
from opsuite.powerbank import demo
from opsuite.powerbank.app import create_app
from opsuite.powerbank.crypto import KeyCipher
from opsuite.powerbank.settings import PowerbankSettings
from tests.clock import FakeClock
from tests.powerbank.helpers import (
    FERNET_KEY,
    GROUP_ADMIN,
    SECRET,
    SERVICE_ADMIN,
    START,
    SUBGROUP_ADMIN,
    USER,
    Api,
    login,
)
from tests.templates import template_for


def _load_demo(url: str) -> None:
    database = Database(url)
    with database.session() as session:
        demo.load(session, KeyCipher([FERNET_KEY]), now=START)
    database.dispose()


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The migrated template of this run's backend, with the demo data."""
    yield from template_for(tmp_path_factory, "opsuite.powerbank", _load_demo)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> PowerbankSettings:
    """Settings on the test's database: no simulators, fixed keys."""
    return PowerbankSettings(
        database_url=database_url,
        secret_key=SECRET,
        key_encryption_keys=FERNET_KEY,
        simulators=False,
        gateway_port=0,
        core={"var_dir": tmp_path},
    )


@pytest.fixture
def clock() -> FakeClock:
    """The app's clock, moved by the test."""
    return FakeClock(START)


@pytest.fixture
def app(settings: PowerbankSettings, database: Database, clock: FakeClock) -> Any:
    """The powerbank app on the test's database and clock."""
    return create_app(settings, database, clock=clock)


@pytest.fixture
def as_user(client: TestClient) -> Callable[[str], Api]:
    """Log in as a demo person by phone."""
    return lambda phone: login(client, phone)


@pytest.fixture
def service_admin(client: TestClient) -> Api:
    return login(client, SERVICE_ADMIN)


@pytest.fixture
def group_admin(client: TestClient) -> Api:
    return login(client, GROUP_ADMIN)


@pytest.fixture
def subgroup_admin(client: TestClient) -> Api:
    return login(client, SUBGROUP_ADMIN)


@pytest.fixture
def user(client: TestClient) -> Api:
    return login(client, USER)
