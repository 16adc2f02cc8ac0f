"""Initial schema: users, devices, auto-update schedules, operation log, jobs and leases."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opsuite.core import schema_steps

revision = "0001"
down_revision = None


def create_table(name: str, *items: sa.schema.SchemaItem) -> None:
    """Create table `name`: an integer `id` key, then `items`."""
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        *items,
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    )


def cascade(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    """`table.column` refers to `target.id`, and its rows go when that row goes."""
    name = op.f(f"fk_{table}_{column}_{target}")
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=name, ondelete="CASCADE")


def upgrade() -> None:
    schema_steps.create_job_tables()
    create_table(
        "users",
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
    )
    schema_steps.create_indexes("users", "email", unique=True)
    create_table(
        "devices",
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("port", sa.Integer(), nullable=False),
        sa.Column("protocol", sa.String(length=8), nullable=False),
        sa.Column("password_encrypted", sa.Text(), nullable=False),
        sa.Column("products_cache_json", sa.Text(), nullable=True),
        sa.Column("cached_dirty", sa.Boolean(), nullable=False),
        sa.Column("cache_updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_pushed_at", sa.DateTime(timezone=True), nullable=True),
        cascade("devices", "owner_id", "users"),
        sa.UniqueConstraint("owner_id", "name", name=op.f("uq_devices_owner_id_name")),
    )
    schema_steps.create_indexes("devices", "owner_id")
    create_table(
        "auto_update_schedules",
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("interval_minutes", sa.Integer(), nullable=False),
        sa.Column("run_at", sa.String(length=5), nullable=True),
        sa.Column("next_run_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_run_utc", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status", sa.String(length=16), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        cascade("auto_update_schedules", "device_id", "devices"),
        sa.UniqueConstraint("device_id", name=op.f("uq_auto_update_schedules_device_id")),
    )
    schema_steps.create_indexes("auto_update_schedules", "next_run_at")
    create_table(
        "operation_log",
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("operation", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        cascade("operation_log", "device_id", "devices"),
    )
    schema_steps.create_indexes("operation_log", "device_id")


def downgrade() -> None:
    schema_steps.drop_tables("operation_log", "auto_update_schedules", "devices", "users")
    schema_steps.drop_job_tables()
