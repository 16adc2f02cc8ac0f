"""Emitting domain events: one pending webhook delivery per active subscriber, in the caller's transaction."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import select
from sqlalchemy.orm import Session

from opsuite.core.outbox import prepare
from opsuite.production.events.models import EventType
from opsuite.production.webhooks.delivery import WebhookOutbox
from opsuite.production.webhooks.models import (
    WebhookDelivery,
    WebhookSubscription,
    WebhookSubscriptionEvent,
)


def iso_utc(moment: datetime) -> str:
    """ISO 8601 in UTC with `Z`, as the API writes times."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def envelope_bytes(event_type: str, timestamp: datetime, delivery_id: uuid.UUID, data: Any) -> bytes:
    """The exact bytes sent (and signed) for one delivery: compact UTF-8 JSON."""
    envelope = {
        "event": event_type,
        "timestamp": iso_utc(timestamp),
        "delivery_id": str(delivery_id),
        "data": data,
    }
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode()


def emit(session: Session, outbox: WebhookOutbox, event_type: str, data: dict[str, Any]) -> None:
    """Write one pending delivery per active subscription to `event_type`, in the caller's transaction.

    Nothing is sent before the transaction commits; a rollback sends nothing. No subscriber costs one
    indexed query.
    """
    emit_many(session, outbox, event_type, [data])


def emit_many(
    session: Session, outbox: WebhookOutbox, event_type: str, events: Sequence[dict[str, Any]]
) -> None:
    """`emit` for several events of one type, in order, with one subscriber query for all of them."""
    if not events:
        return
    subscribers = session.execute(
        select(WebhookSubscription.uuid, WebhookSubscription.retry_count, WebhookSubscription.timeout_seconds)
        .join(WebhookSubscriptionEvent, WebhookSubscriptionEvent.subscription_id == WebhookSubscription.uuid)
        .where(WebhookSubscriptionEvent.event_name == event_type, WebhookSubscription.is_active.is_(True))
    ).all()
    if not subscribers:
        return
    now = outbox.clock.now()
    deliveries = []
    for data in events:
        payload = to_jsonable_python(data)
        for subscription_id, retry_count, timeout in subscribers:
            delivery = WebhookDelivery(
                id=uuid.uuid4(), subscription_id=subscription_id, event_type=event_type, payload=payload
            )
            delivery.body = envelope_bytes(event_type, now, delivery.id, payload)
            deliveries.append(prepare(delivery, now=now, max_attempts=retry_count + 1, timeout=timeout))
    outbox.add(session, deliveries)


def list_event_types(session: Session) -> list[EventType]:
    """Every event type, by name."""
    return list(session.scalars(select(EventType).order_by(EventType.name)))
