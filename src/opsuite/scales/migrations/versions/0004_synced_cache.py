"""Devices: the product file as the scale last had it, so unsent edits can be discarded."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("products_synced_json", sa.Text(), nullable=True))
    # A clean cache is what the scale has; a dirty one's clean copy is unknown (discarding empties it).
    devices = sa.table(
        "devices",
        sa.column("products_cache_json", sa.Text()),
        sa.column("products_synced_json", sa.Text()),
        sa.column("cached_dirty", sa.Boolean()),
    )
    op.execute(
        devices.update()
        .where(devices.c.cached_dirty.is_(False))
        .values(products_synced_json=devices.c.products_cache_json)
    )


def downgrade() -> None:
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_column("products_synced_json")
