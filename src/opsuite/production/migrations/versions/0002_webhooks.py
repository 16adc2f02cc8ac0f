"""Event types, webhook subscriptions and deliveries (the outbox)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from opsuite.core import schema_steps

revision = "0002"
down_revision = "0001"

# The documented types, frozen here as seeded (the application's list is events/types.py).
EVENT_TYPES = [
    ("batch.created", "Событие создания партии"),
    ("batch.closed", "Событие закрытия партии"),
    ("batch.opened", "Событие открытия партии"),
    ("batch.product_added", "Событие добавления продукта в партию"),
    ("batch.product_removed", "Событие удаления продукта из партии"),
    ("batch.aggregated", "Событие агрегации партии"),
    ("batch.deleted", "Событие удаления партии"),
    ("batch.report_generated", "Событие генерации отчёта по партии"),
    ("product.aggregated", "Событие агрегации продукта"),
    ("work_center.deleted", "Событие удаления рабочего центра"),
    ("batch.import_completed", "Событие завершения импорта партий"),
]


def upgrade() -> None:
    event_types = op.create_table(
        "event_types",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("webhook_enabled", sa.Boolean(), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=True),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_event_types")),
        sa.UniqueConstraint("name", name=op.f("uq_event_types_name")),
    )
    schema_steps.create_indexes("event_types", "created_at")
    op.create_table(
        "webhook_subscriptions",
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("secret_key", sa.String(length=255), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("retry_count", sa.Integer(), nullable=False),
        sa.Column("timeout_seconds", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_webhook_subscriptions")),
    )
    schema_steps.create_indexes("webhook_subscriptions", "created_at")
    op.create_table(
        "webhook_subscription_events",
        sa.Column("event_name", sa.String(length=100), nullable=False),
        sa.Column("subscription_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["webhook_subscriptions.uuid"],
            name=op.f("fk_webhook_subscription_events_subscription_id_webhook_subscriptions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_name", "subscription_id", name=op.f("pk_webhook_subscription_events")),
    )
    schema_steps.create_indexes("webhook_subscription_events", "subscription_id")
    op.create_table(
        "webhook_deliveries",
        sa.Column("subscription_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("event_type", sa.String(length=100), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("timeout", sa.Float(), nullable=False),
        sa.Column("response_status", sa.Integer(), nullable=True),
        sa.Column("response_body", sa.Text(), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["webhook_subscriptions.uuid"],
            name=op.f("fk_webhook_deliveries_subscription_id_webhook_subscriptions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_deliveries")),
    )
    op.create_index(
        "ix_webhook_deliveries_status_next_attempt_at",
        "webhook_deliveries",
        ["status", "next_attempt_at"],
        unique=False,
    )
    op.create_index(
        "ix_webhook_deliveries_subscription_id_created_at",
        "webhook_deliveries",
        ["subscription_id", "created_at"],
        unique=False,
    )
    now = datetime.now(UTC)
    if op.get_bind().dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # UTCDateTime keeps naive UTC on SQLite
    op.bulk_insert(
        event_types,
        [
            {
                "uuid": uuid.uuid4(),
                "created_at": now,
                "updated_at": None,
                "name": name,
                "version": 1,
                "webhook_enabled": True,
                "description": description,
            }
            for name, description in EVENT_TYPES
        ],
    )


def downgrade() -> None:
    schema_steps.drop_tables(
        "webhook_deliveries", "webhook_subscription_events", "webhook_subscriptions", "event_types"
    )
