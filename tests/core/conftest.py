"""Core fixtures: a fresh database per test on SQLite, and on PostgreSQL when its URL is set."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase
from tests.clock import FakeClock
from tests.conftest import POSTGRES_ENV, service_url

from opsuite.core.db import Database, new_metadata
from opsuite.core.jobs import JobMixin, JobQueue, LeaseMixin


class CoreTestBase(DeclarativeBase):
    metadata = new_metadata()


class Job(JobMixin, CoreTestBase):
    pass


class Lease(LeaseMixin, CoreTestBase):
    pass


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """An empty database with the test tables: a new SQLite file, or this module's emptied PostgreSQL one."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('core-db') / 'test.sqlite3'}"
        _create_tables(url)
        return url
    service_url(POSTGRES_ENV)
    url: str = request.getfixturevalue("postgres_module_url")
    database = Database(url)
    tables = ", ".join(f'"{table.name}"' for table in CoreTestBase.metadata.sorted_tables)
    with database.session() as session:
        session.execute(text(f"TRUNCATE {tables}"))
    database.dispose()
    return url


@pytest.fixture(scope="module")
def postgres_module_url() -> Iterator[str]:
    """A uniquely named PostgreSQL database with the test tables, dropped after the module (CREATE DATABASE
    costs about a second, so tests of a module share it and each starts from emptied tables)."""
    server = make_url(service_url(POSTGRES_ENV))
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"opsuite_core_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    try:
        _create_tables(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _create_tables(url: str) -> None:
    database = Database(url)
    CoreTestBase.metadata.create_all(database.engine)
    database.dispose()


@pytest.fixture
def make_database(database_url: str) -> Iterator[Callable[[], Database]]:
    """Open another Database on the test's database, as a separate process would."""
    opened: list[Database] = []

    def make() -> Database:
        database = Database(database_url)
        opened.append(database)
        return database

    yield make
    for database in opened:
        database.dispose()


@pytest.fixture
def database(make_database: Callable[[], Database]) -> Database:
    """The test's database."""
    return make_database()


@pytest.fixture
def job_model() -> type[Job]:
    """The test system's Job model."""
    return Job


@pytest.fixture
def lease_model() -> type[Lease]:
    """The test system's Lease model."""
    return Lease


@pytest.fixture
def clock() -> FakeClock:
    """A controllable clock starting at 2025-01-01 12:00 UTC."""
    return FakeClock(datetime(2025, 1, 1, 12, 0, tzinfo=UTC))


@pytest.fixture
def queue() -> JobQueue[Job]:
    """The test system's job queue, with no runner attached."""
    return JobQueue(Job)
