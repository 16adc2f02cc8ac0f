"""Car numbers compared by their plate key: `А001АА54` (Cyrillic) and `a001aa 54` (Latin) are one car.

Adds `number_key` (core.plates.plate_key of `number`, which stays as typed) and `duplicate_of` to both
vehicle tables, and moves the live-uniqueness index from `number` to `number_key`.

Rows whose keys collide are never merged or dropped, and the migration never fails on them: among live
cars with one key the oldest (lowest id) keeps it; each younger one gets `duplicate_of` = the oldest's id
and a warning in the log. The unique index skips marked rows, so both stay listed and their waybills stay
valid; changing the younger car's number to a free one clears the mark. Soft-deleted rows get their
key and no mark (the index ignores them anyway).
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

from opsuite.core.plates import plate_key

revision = "0003"
down_revision = "0002"

TABLES = ("passenger_car", "fire_truck")
LIVE = sa.text("deleted_at IS NULL")
LIVE_ORIGINAL = sa.text("deleted_at IS NULL AND duplicate_of IS NULL")
log = logging.getLogger("alembic.runtime.migration")


def _fill_keys(table_name: str) -> None:
    """Write every row's key; mark each younger live row whose key an older live row already has."""
    bind = op.get_bind()
    table = sa.table(
        table_name,
        sa.column("id", sa.Integer),
        sa.column("number", sa.String),
        sa.column("number_key", sa.String),
        sa.column("duplicate_of", sa.Integer),
        sa.column("deleted_at", sa.DateTime),
    )
    holders: dict[str, int] = {}
    rows = bind.execute(sa.select(table.c.id, table.c.number, table.c.deleted_at).order_by(table.c.id))
    updates = []
    for row_id, number, deleted_at in rows.all():
        key = plate_key(number)
        duplicate_of = None
        if deleted_at is None:
            duplicate_of = holders.setdefault(key, row_id)
            if duplicate_of == row_id:
                duplicate_of = None
            else:
                log.warning(
                    "%s %d: number %r is the same plate as car %d; both kept, marked duplicate_of=%d",
                    table_name, row_id, number, duplicate_of, duplicate_of,
                )  # fmt: skip
        updates.append({"row_id": row_id, "key": key, "duplicate_of": duplicate_of})
    if updates:
        bind.execute(
            table.update()
            .where(table.c.id == sa.bindparam("row_id"))
            .values(number_key=sa.bindparam("key"), duplicate_of=sa.bindparam("duplicate_of")),
            updates,
        )


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("number_key", sa.String(length=32), server_default="", nullable=False))
        op.add_column(table, sa.Column("duplicate_of", sa.Integer(), nullable=True))
        _fill_keys(table)
        op.drop_index(f"uq_{table}_number_live", table_name=table)
        op.create_index(
            f"uq_{table}_number_key_live",
            table,
            ["number_key"],
            unique=True,
            sqlite_where=LIVE_ORIGINAL,
            postgresql_where=LIVE_ORIGINAL,
        )


def downgrade() -> None:
    # Fails, as it should, when two live cars share a number as typed.
    for table in TABLES:
        op.drop_index(f"uq_{table}_number_key_live", table_name=table)
        name = f"uq_{table}_number_live"
        op.create_index(name, table, ["number"], unique=True, sqlite_where=LIVE, postgresql_where=LIVE)
        op.drop_column(table, "duplicate_of")
        op.drop_column(table, "number_key")
