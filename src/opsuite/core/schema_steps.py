"""Migration steps for the tables that core's mixins define, called from each system's Alembic history.

A system's revision calls these instead of repeating the operations, so the `jobs` and `login_throttle`
tables are shaped once for every system.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


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
    with op.batch_alter_table("login_throttle", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_throttle_expires_at"), ["expires_at"], unique=False)


def drop_login_throttle() -> None:
    """Undo `create_login_throttle`."""
    with op.batch_alter_table("login_throttle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_throttle_expires_at"))
    op.drop_table("login_throttle")
