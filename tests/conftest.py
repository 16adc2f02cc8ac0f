"""Shared test plumbing: external services come from env vars, and are skipped or required."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

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
def database(database_url: str) -> Iterator[Database]:
    """The test's database."""
    db = Database(database_url)
    yield db
    db.dispose()
