"""Initial schema: users, login throttle, products, visits (trucks), weighings (actions), photos, settings."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opsuite.core import schema_steps

revision = "0001"
down_revision = None

AT = sa.DateTime(timezone=True)


def create_table(name: str, *items: sa.schema.SchemaItem) -> None:
    """Create table `name`: an integer `id` key, then `items`."""
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        *items,
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    )


def refers(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    """`table.column` refers to `target.id`."""
    name = op.f(f"fk_{table}_{column}_{target}")
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=name, ondelete=ondelete)


def upgrade() -> None:
    schema_steps.create_login_throttle()
    create_table(
        "users",
        sa.Column("phone_number", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("is_superuser", sa.Boolean(), nullable=False),
        sa.Column("internal_scale_id", sa.Integer(), nullable=True),
        sa.UniqueConstraint("phone_number", name=op.f("uq_users_phone_number")),
    )
    create_table(
        "products",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_key", sa.String(length=120), nullable=False),
        sa.UniqueConstraint("name_key", name=op.f("uq_products_name_key")),
    )
    create_table(
        "trucks",
        sa.Column("truck_number", sa.String(length=20), nullable=False),
        sa.Column("number_key", sa.String(length=20), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("driver_name", sa.String(length=120), nullable=True),
        sa.Column("model", sa.String(length=120), nullable=True),
        sa.Column("owner_pinfl", sa.String(length=20), nullable=True),
        sa.Column("is_finished", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("deleted_at", AT, nullable=True),
        refers("trucks", "product_id", "products", "SET NULL"),
    )
    open_visit = sa.text("NOT is_finished AND deleted_at IS NULL")
    op.create_index(
        "uq_trucks_open_number_key",
        "trucks",
        ["number_key"],
        unique=True,
        sqlite_where=open_visit,
        postgresql_where=open_visit,
    )
    schema_steps.create_indexes("trucks", "created_at")
    create_table(
        "actions",
        sa.Column("truck_id", sa.Integer(), nullable=False),
        sa.Column("action_type", sa.String(length=10), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("created_at", AT, nullable=False),
        refers("actions", "truck_id", "trucks", "CASCADE"),
        refers("actions", "operator_id", "users", "SET NULL"),
        refers("actions", "product_id", "products", "SET NULL"),
        sa.UniqueConstraint("truck_id", "action_type", name="uq_actions_truck_id_action_type"),
        sa.CheckConstraint("action_type IN ('ENTRANCE', 'EXIT')", name=op.f("ck_actions_action_type")),
    )
    schema_steps.create_indexes("actions", "truck_id")
    create_table(
        "photos",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("camera", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=100), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        refers("photos", "action_id", "actions", "CASCADE"),
        sa.UniqueConstraint("path", name=op.f("uq_photos_path")),
    )
    schema_steps.create_indexes("photos", "action_id")
    create_table(
        "bridge_settings",
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("updated_at", AT, nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_bridge_settings_one_row")),
    )


def downgrade() -> None:
    schema_steps.drop_tables("bridge_settings", "photos", "actions", "trucks", "products", "users")
    schema_steps.drop_login_throttle()
