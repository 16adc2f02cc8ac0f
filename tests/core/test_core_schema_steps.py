"""Core's migration steps build exactly the tables core's mixins describe, and their undo steps remove them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase
from tests.conftest import POSTGRES_ENV, service_url

from opsuite.core import schema_steps
from opsuite.core.db import make_engine, new_metadata
from opsuite.core.jobs import JobMixin, LeaseMixin
from opsuite.core.throttle import LoginThrottleMixin


class StepsBase(DeclarativeBase):
    metadata = new_metadata()


class Job(JobMixin, StepsBase):
    pass


class Lease(LeaseMixin, StepsBase):
    pass


class LoginThrottle(LoginThrottleMixin, StepsBase):
    pass


@pytest.fixture(params=["sqlite", "postgres"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new empty database: a SQLite file, or a uniquely named PostgreSQL database dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'steps.sqlite3'}"
        return
    server = make_url(service_url(POSTGRES_ENV))
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"opsuite_steps_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_steps_build_the_mixins_tables_and_undo_them(empty_url: str) -> None:
    engine = make_engine(empty_url)
    with engine.begin() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        with Operations.context(context):
            schema_steps.create_job_tables()
            schema_steps.add_job_heartbeats()
            schema_steps.create_login_throttle()
        assert compare_metadata(context, StepsBase.metadata) == []
        assert sorted(inspect(conn).get_table_names()) == ["jobs", "leases", "login_throttle"]
        assert sorted(index["name"] for index in inspect(conn).get_indexes("jobs")) == [
            "ix_jobs_created_at",
            "ix_jobs_expires_at",
            "ix_jobs_name",
            "ix_jobs_state",
        ]
        with Operations.context(context):
            schema_steps.drop_login_throttle()
            schema_steps.drop_job_heartbeats()
            assert [column["name"] for column in inspect(conn).get_columns("jobs")][-2:] == [
                "expires_at",
                "attempts",
            ]
            schema_steps.drop_job_tables()
        assert inspect(conn).get_table_names() == []
    engine.dispose()
