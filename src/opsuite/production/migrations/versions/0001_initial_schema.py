"""Initial schema: work centers, batches, products, dashboard cache, jobs and leases."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opsuite.core import schema_steps

revision = "0001"
down_revision = None


def entity(table: str) -> list[sa.schema.SchemaItem]:
    """The columns of `production.base.Entity` (`uuid` key, `created_at`, `updated_at`) and the key."""
    return [
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("uuid", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "dashboard_cache",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("cached_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_dashboard_cache")),
    )
    schema_steps.create_job_tables()
    op.create_table(
        "work_centers",
        sa.Column("identifier", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        *entity("work_centers"),
        sa.UniqueConstraint("identifier", name=op.f("uq_work_centers_identifier")),
    )
    schema_steps.create_indexes("work_centers", "created_at")
    varchar = sa.String(length=255)
    op.create_table(
        "batches",
        sa.Column("is_closed", sa.Boolean(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("task_description", varchar, nullable=False),
        sa.Column("work_center_id", sa.Uuid(), nullable=False),
        sa.Column("shift", varchar, nullable=False),
        sa.Column("team", varchar, nullable=False),
        sa.Column("batch_number", sa.Integer(), nullable=False),
        sa.Column("batch_date", sa.Date(), nullable=False),
        sa.Column("nomenclature", varchar, nullable=False),
        sa.Column("ekn_code", varchar, nullable=False),
        sa.Column("shift_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("shift_end", sa.DateTime(timezone=True), nullable=False),
        *entity("batches"),
        sa.ForeignKeyConstraint(
            ["work_center_id"], ["work_centers.uuid"], name=op.f("fk_batches_work_center_id_work_centers")
        ),
        sa.UniqueConstraint("batch_number", "batch_date", name="uq_batch_number_date"),
    )
    schema_steps.create_indexes(
        "batches", "batch_date", "batch_number", "created_at", "is_closed", "shift", "work_center_id"
    )
    op.create_table(
        "products",
        sa.Column("unique_code", varchar, nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column("is_aggregated", sa.Boolean(), nullable=False),
        sa.Column("aggregated_at", sa.DateTime(timezone=True), nullable=True),
        *entity("products"),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batches.uuid"], name=op.f("fk_products_batch_id_batches"), ondelete="CASCADE"
        ),
        sa.UniqueConstraint("unique_code", name=op.f("uq_products_unique_code")),
    )
    schema_steps.create_indexes("products", "batch_id", "created_at", "is_aggregated")


def downgrade() -> None:
    schema_steps.drop_tables("products", "batches", "work_centers")
    schema_steps.drop_job_tables()
    schema_steps.drop_tables("dashboard_cache")
