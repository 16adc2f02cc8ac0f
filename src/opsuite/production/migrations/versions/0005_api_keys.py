"""API keys: stored as SHA-256 hashes, revoked by timestamp."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opsuite.core import schema_steps

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
    )
    schema_steps.create_indexes("api_keys", "revoked_at", "created_at")


def downgrade() -> None:
    op.drop_table("api_keys")
