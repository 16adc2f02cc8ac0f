"""Migration steps for the tables that core's mixins define, called from each system's Alembic history.

A system's revision calls these instead of repeating the operations, so the `jobs`, `leases` and
`login_throttle` tables are shaped once for every system. The shapes are frozen here as first deployed:
a later change to a mixin is a new step, never an edit of these.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

JOB_STATES = ("PENDING", "STARTED", "PROGRESS", "SUCCESS", "FAILURE", "REVOKED")


def create_indexes(table: str, *columns: str, unique: bool = False) -> None:
    """Index each of `columns` of `table` alone, named `ix_<table>_<column>`."""
    for column in columns:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=unique)


def drop_tables(*tables: str) -> None:
    """Drop `tables` in the order given, their indexes with them."""
    for table in tables:
        op.drop_table(table)


def create_job_tables() -> None:
    """Create `jobs` of `core.jobs.JobMixin` (as before its heartbeats) and `leases` of `LeaseMixin`."""
    at = sa.DateTime(timezone=True)
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "state", sa.Enum(*JOB_STATES, name="jobstate", native_enum=False, length=16), nullable=False
        ),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("progress_current", sa.Integer(), nullable=False),
        sa.Column("progress_total", sa.Integer(), nullable=True),
        sa.Column("result", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", at, nullable=False),
        sa.Column("started_at", at, nullable=True),
        sa.Column("finished_at", at, nullable=True),
        sa.Column("expires_at", at, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    create_indexes("jobs", "created_at", "expires_at", "name", "state")
    op.create_table(
        "leases",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("expires_at", at, nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_leases")),
    )


def drop_job_tables() -> None:
    """Undo `create_job_tables`."""
    drop_tables("leases", "jobs")


def add_job_heartbeats() -> None:
    """Add `heartbeat_at` and `checkpoint` to the system's `jobs` table."""
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("checkpoint", sa.JSON(), nullable=True))


def drop_job_heartbeats() -> None:
    """Undo `add_job_heartbeats`."""
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_column("checkpoint")
        batch_op.drop_column("heartbeat_at")


def create_login_throttle() -> None:
    """Create the `login_throttle` table of `core.throttle.LoginThrottleMixin`."""
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttle")),
    )
    create_indexes("login_throttle", "expires_at")


def drop_login_throttle() -> None:
    """Undo `create_login_throttle`."""
    drop_tables("login_throttle")
