"""Shared test plumbing: external services come from env vars, and are skipped or required."""

from __future__ import annotations

import os

import pytest

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
