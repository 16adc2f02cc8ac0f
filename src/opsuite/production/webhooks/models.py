"""Webhook subscriptions, the events each lists (a join table), and deliveries (core outbox rows)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from opsuite.core.outbox import OutboxMixin
from opsuite.production.base import Base, Entity


class WebhookSubscription(Entity, Base):
    """Where and how to deliver the events it lists; `secret_key` is never returned."""

    __tablename__ = "webhook_subscriptions"

    url: Mapped[str] = mapped_column(String(2048))
    secret_key: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    retry_count: Mapped[int] = mapped_column(Integer, default=3)
    timeout_seconds: Mapped[int] = mapped_column(Integer, default=10)

    event_rows: Mapped[list[WebhookSubscriptionEvent]] = relationship(
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="selectin",
        order_by="WebhookSubscriptionEvent.position",
    )

    @property
    def events(self) -> list[str]:
        """The subscribed event types, in the order given."""
        return [row.event_name for row in self.event_rows]

    @property
    def timeout(self) -> int:
        """The API's name for `timeout_seconds`."""
        return self.timeout_seconds


class WebhookSubscriptionEvent(Base):
    """One event type a subscription lists; `emit` finds subscribers through its primary key."""

    __tablename__ = "webhook_subscription_events"

    event_name: Mapped[str] = mapped_column(String(100), primary_key=True)
    subscription_id: Mapped[UUID] = mapped_column(
        Uuid, ForeignKey("webhook_subscriptions.uuid", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class WebhookDelivery(OutboxMixin, Base):
    """One event sent to one subscription, with the log of its attempts."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_subscription_id_created_at", "subscription_id", "created_at"),
    )

    subscription_id: Mapped[UUID] = mapped_column(
        Uuid, ForeignKey("webhook_subscriptions.uuid", ondelete="CASCADE")
    )

    @property
    def uuid(self) -> UUID:
        """The API's name for the delivery id."""
        return self.id
