"""Waybills fixtures: a migrated template database copied per test, an app, and an API helper."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from opsuite.core.db import Database
from opsuite.waybills.app import create_app
from opsuite.waybills.settings import WaybillsSettings
from opsuite.waybills.users.admin import create_admin
from tests.templates import template_for
from tests.waybills.helpers import ADMIN_LOGIN, ADMIN_PASSWORD, SECRET, Api


def _add_admin(url: str) -> None:
    database = Database(url)
    with database.session() as session:
        create_admin(session, login=ADMIN_LOGIN, password=ADMIN_PASSWORD)
    database.dispose()


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The migrated template of this run's backend."""
    yield from template_for(tmp_path_factory, "opsuite.waybills", _add_admin)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> WaybillsSettings:
    """Settings pointing at the test's database."""
    return WaybillsSettings(database_url=database_url, secret_key=SECRET, core={"var_dir": tmp_path})


@pytest.fixture
def app(settings: WaybillsSettings, database: Database) -> Any:
    """The waybills app on the test's database."""
    return create_app(settings, database)


@pytest.fixture
def api(client: TestClient) -> Api:
    """The API helper, logged in as the administrator."""
    return Api(client)
