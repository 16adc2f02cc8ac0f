"""Waybills fixtures: a migrated template database copied per test, an app, and an API helper."""

from __future__ import annotations

import itertools
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from opsuite.core.db import Database
from opsuite.core.migrations import upgrade
from opsuite.waybills.app import create_app
from opsuite.waybills.settings import WaybillsSettings
from opsuite.waybills.users.admin import create_admin
from tests.conftest import POSTGRES_ENV, database_backend
from tests.waybills.helpers import ADMIN_LOGIN, ADMIN_PASSWORD, SECRET, Api

_counter = itertools.count()


class SqliteTemplate:
    """A migrated SQLite file; each test gets a copy."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / "template.sqlite3"
        url = f"sqlite:///{self.path}"
        upgrade("opsuite.waybills", url)
        _add_admin(url)

    def new(self) -> str:
        target = self.directory / f"test-{next(_counter)}.sqlite3"
        shutil.copyfile(self.path, target)
        return f"sqlite:///{target}"

    def drop(self, url: str) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(make_url(url).database + suffix).unlink(missing_ok=True)  # type: ignore[operator]


class PostgresTemplate:
    """A migrated PostgreSQL database; each test gets `CREATE DATABASE ... TEMPLATE` of it."""

    def __init__(self, server_url: str) -> None:
        self.server = make_url(server_url)
        self.admin = create_engine(self.server, isolation_level="AUTOCOMMIT")
        self.name = f"opsuite_wb_tpl_{uuid.uuid4().hex[:8]}"
        self._execute(f'CREATE DATABASE "{self.name}"')
        url = self.server.set(database=self.name).render_as_string(hide_password=False)
        upgrade("opsuite.waybills", url)
        _add_admin(url)

    def new(self) -> str:
        name = f"opsuite_wb_{uuid.uuid4().hex[:10]}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"')
        return self.server.set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')

    def close(self) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.admin.dispose()

    def _execute(self, sql: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(sql))


def _add_admin(url: str) -> None:
    database = Database(url)
    with database.session() as session:
        create_admin(session, login=ADMIN_LOGIN, password=ADMIN_PASSWORD)
    database.dispose()


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The migrated template of this run's backend."""
    if database_backend() == "postgres":
        pg = PostgresTemplate(os.environ[POSTGRES_ENV])
        yield pg
        pg.close()
    else:
        yield SqliteTemplate(tmp_path_factory.mktemp("waybills-db"))


@pytest.fixture
def database_url(template: Any) -> Iterator[str]:
    """A fresh, migrated database for one test."""
    url = template.new()
    yield url
    template.drop(url)


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """The test's database."""
    db = Database(database_url)
    yield db
    db.dispose()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> WaybillsSettings:
    """Settings pointing at the test's database."""
    return WaybillsSettings(database_url=database_url, secret_key=SECRET, core={"var_dir": tmp_path})


@pytest.fixture
def app(settings: WaybillsSettings, database: Database) -> Any:
    """The waybills app on the test's database."""
    return create_app(settings, database)


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    """An HTTP client of the app."""
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def api(client: TestClient) -> Api:
    """The API helper, logged in as the administrator."""
    return Api(client)
