"""Shared test plumbing: external services come from env vars, and are skipped or required."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from opsuite.core.db import Database

POSTGRES_ENV = "OPSUITE_TEST_POSTGRES_URL"
REDIS_ENV = "OPSUITE_TEST_REDIS_URL"


def service_url(env: str) -> str:
    """The URL in `env`; skip the test when unset, or fail when OPSUITE_REQUIRE_SERVICES=1."""
    url = os.environ.get(env)
    if url:
        return url
    reason = f"{env} is not set"
    if os.environ.get("OPSUITE_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason} but OPSUITE_REQUIRE_SERVICES=1", pytrace=False)
    pytest.skip(reason)


def database_backend() -> str:
    """`postgres` when the suite runs against PostgreSQL, else `sqlite`."""
    return "postgres" if os.environ.get(POSTGRES_ENV) else "sqlite"


# Each system's conftest provides `template` (tests/templates.py); these two serve every system.


@pytest.fixture
def database_url(template: Any) -> Iterator[str]:
    """A fresh, migrated database for one test, copied from the system's template."""
    url = template.new()
    yield url
    template.drop(url)


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    """An HTTP client of the system's `app` (each system's conftest builds it), its lifespan started."""
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """The test's database."""
    db = Database(database_url)
    yield db
    db.dispose()


def unreachable_database_url(tmp_path: Path, backend: str) -> str:
    """A database that cannot be reached: a SQLite file under a regular file, or a closed PostgreSQL port."""
    if backend == "postgres":
        return "postgresql+psycopg://postgres@127.0.0.1:1/opsuite_down"
    not_a_directory = tmp_path / "not-a-directory"
    not_a_directory.write_text("")
    return f"sqlite:///{not_a_directory / 'down.sqlite3'}"


@pytest.fixture
def down_database_url(tmp_path: Path) -> str:
    """An unreachable database of this run's backend."""
    return unreachable_database_url(tmp_path, database_backend())
