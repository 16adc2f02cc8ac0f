"""Stored files: reports, exports and uploaded imports."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opsuite.core import schema_steps

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.create_table(
        "files",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=True),
        sa.Column("path", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_files")),
    )
    schema_steps.create_indexes("files", "kind", "batch_id", "expires_at", "created_at")


def downgrade() -> None:
    op.drop_table("files")
