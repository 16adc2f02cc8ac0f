"""Webhook bodies: a subscription in and out, a delivery, the test receiver's answer."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from opsuite.core.logs import redact
from opsuite.core.netguard import AddressRefused, literal_address, url_has_credentials
from opsuite.production import demo_ids
from opsuite.production.common.schemas import TEXT, EntityOut, In, examples, non_blank
from opsuite.production.events.types import EVENT_TYPES

EventName = StrEnum("EventName", {name: name for name in EVENT_TYPES})  # type: ignore[misc]
"""The subscribable event types (the `event_type` filter's values)."""

URL_MAX_LENGTH = 2048


def _check_url(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("URL webhook не может быть пустым")
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(
            f"WebhookSubscriptionEntity.url: невалидный формат URL '{value}'. Ожидается http:// или https://"
        )
    if url_has_credentials(value):
        raise ValueError(
            "WebhookSubscriptionEntity.url: URL не должен содержать учётные данные (user:password@)"
        )
    try:
        literal_address(parts.hostname)
    except AddressRefused:
        raise ValueError(
            "WebhookSubscriptionEntity.url: IP-адрес должен быть записан в обычной форме (как 203.0.113.5)"
        ) from None
    return value


def _check_events(value: list[str]) -> list[str]:
    if not value:
        raise ValueError("WebhookSubscriptionEntity.events: Список событий не может быть пустым")
    if any(name not in EVENT_TYPES for name in value):
        raise ValueError("WebhookSubscriptionEntity.events: Все события должны быть типа EventTypesEnum")
    return list(dict.fromkeys(value))  # a repeated type is one subscription to it


def _at_least_zero(value: int) -> int:
    if value < 0:
        raise ValueError("Количество повторов должно быть >= 0")
    return value


def _positive(value: int) -> int:
    if value <= 0:
        raise ValueError("Таймаут должен быть > 0")
    return value


Url = Annotated[str, StringConstraints(max_length=URL_MAX_LENGTH), AfterValidator(_check_url)]
Events = Annotated[list[Annotated[str, StringConstraints(max_length=100)]], AfterValidator(_check_events)]
SecretKey = Annotated[str, TEXT, non_blank("Секретный ключ не может быть пустым")]
RetryCount = Annotated[int, AfterValidator(_at_least_zero)]
Timeout = Annotated[int, AfterValidator(_positive)]
Redacted = Annotated[str, AfterValidator(redact)]
"""Text shown back without URL credentials (rows stored before credentials were refused)."""

SUBSCRIPTION_EXAMPLE: dict[str, Any] = {
    "uuid": "880e8400-e29b-41d4-a716-446655440000",
    "created_at": "2025-01-15T10:30:00Z",
    "updated_at": None,
    "url": "https://example.com/webhook",
    "events": ["batch.created", "batch.closed"],
    "is_active": True,
    "retry_count": 3,
    "timeout": 10,
}


class WebhookCreate(In):
    """A new subscription."""

    model_config = examples(
        {
            "url": demo_ids.RECEIVER,
            "events": ["batch.created", "batch.closed"],
            "secret_key": "webhook_secret_key",
            "is_active": True,
            "retry_count": 3,
            "timeout": 10,
        }
    )

    url: Url
    events: Events
    secret_key: SecretKey
    is_active: bool = True
    retry_count: RetryCount = 3
    timeout: Timeout = Field(default=10, description="Секунд на ответ получателя")


class WebhookOut(EntityOut):
    """A subscription; its secret is never shown."""

    model_config = examples(SUBSCRIPTION_EXAMPLE)

    url: Redacted
    events: list[str]
    is_active: bool
    retry_count: int
    timeout: int


class DeliveryOut(EntityOut):
    """One delivery and the outcome of its latest attempt."""

    model_config = examples(
        {
            "uuid": "990e8400-e29b-41d4-a716-446655440000",
            "created_at": "2025-01-15T11:00:00Z",
            "updated_at": "2025-01-15T11:00:05Z",
            "subscription_id": "880e8400-e29b-41d4-a716-446655440000",
            "event_type": "batch.created",
            "payload": {"batch_id": "550e8400-e29b-41d4-a716-446655440000", "batch_number": 1001},
            "status": "success",
            "attempts": 1,
            "response_status": 200,
            "response_body": "OK",
            "error_message": None,
            "delivered_at": "2025-01-15T11:00:05Z",
        }
    )

    subscription_id: uuid.UUID
    event_type: str
    payload: Any
    status: str
    attempts: int
    response_status: int | None
    response_body: Redacted | None
    error_message: Redacted | None
    delivered_at: datetime | None


class TestReceived(BaseModel):
    """What the test receiver saw."""

    __test__ = False  # not a pytest class

    model_config = examples(
        {
            "status": "received",
            "received_at": "2025-01-15T11:00:00Z",
            "event": "batch.created",
            "signature_valid": True,
            "headers": {"x-webhook-signature": "sha256=...", "x-webhook-event": "batch.created"},
            "payload": {"batch_id": "550e8400-e29b-41d4-a716-446655440000"},
        }
    )

    status: str = "received"
    received_at: datetime
    event: str | None
    signature_valid: bool | None
    headers: dict[str, str]
    payload: Any
