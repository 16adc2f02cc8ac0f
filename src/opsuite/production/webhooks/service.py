"""Webhook subscriptions, their delivery log, and the signature check of the test receiver."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from opsuite.core.netguard import AddressRefused, check_url
from opsuite.production.common.paging import PageParams, fetch_page
from opsuite.production.errors import InvalidValue, NotFound
from opsuite.production.settings import ProductionSettings
from opsuite.production.webhooks.models import (
    WebhookDelivery,
    WebhookSubscription,
    WebhookSubscriptionEvent,
)
from opsuite.production.webhooks.schemas import WebhookCreate

REFUSED_ADDRESS = {
    "loopback": "локальный адрес (loopback)",
    "link-local": "адрес link-local (в том числе адрес метаданных 169.254.169.254)",
    "unspecified": "неуказанный адрес",
    "multicast": "групповой адрес (multicast)",
    "reserved": "зарезервированный адрес",
    "private": "адрес частной сети",
    "numeric-form": "IP-адрес в необычной записи",
    "credentials": "URL с учётными данными",
}

SIGNATURE_HEADER = "x-webhook-signature"
EVENT_HEADER = "x-webhook-event"


def create(
    session: Session, *, data: WebhookCreate, settings: ProductionSettings, now: datetime
) -> WebhookSubscription:
    """A new subscription; 422 past the configured caps on retries and timeout."""
    if data.retry_count > settings.webhook_max_retry_count:
        raise InvalidValue(f"Количество повторов должно быть <= {settings.webhook_max_retry_count}")
    if data.timeout > settings.webhook_max_timeout_seconds:
        raise InvalidValue(f"Таймаут должен быть <= {settings.webhook_max_timeout_seconds}")
    check_target(data.url, settings)
    subscription = WebhookSubscription(
        url=data.url,
        secret_key=data.secret_key,
        is_active=data.is_active,
        retry_count=data.retry_count,
        timeout_seconds=data.timeout,
        created_at=now,
        event_rows=[
            WebhookSubscriptionEvent(event_name=name, position=index)
            for index, name in enumerate(data.events)
        ],
    )
    session.add(subscription)
    session.flush()
    return subscription


def check_target(url: str, settings: ProductionSettings) -> None:
    """422 for a URL the sender would refuse without resolving it (refused literal, `localhost`, credentials).

    Names are resolved and checked at every attempt, not here: their addresses can change.
    """
    try:
        check_url(url, settings.webhook_address_policy)
    except AddressRefused as exc:
        reason = REFUSED_ADDRESS.get(exc.reason, exc.reason)
        raise InvalidValue(f"URL webhook указывает на запрещённый адрес: {reason}") from None


def get(session: Session, subscription_id: uuid.UUID) -> WebhookSubscription:
    """The subscription, or 404."""
    subscription = session.get(WebhookSubscription, subscription_id)
    if subscription is None:
        raise NotFound(f"Подписка на webhook с UUID {subscription_id} не найдена")
    return subscription


def list_page(
    session: Session, *, page: PageParams, event_type: str | None
) -> tuple[list[WebhookSubscription], int]:
    """Subscriptions, newest first, optionally only those listing `event_type`."""
    statement = select(WebhookSubscription)
    if event_type is not None:
        statement = statement.where(
            exists().where(
                WebhookSubscriptionEvent.subscription_id == WebhookSubscription.uuid,
                WebhookSubscriptionEvent.event_name == event_type,
            )
        )
    statement = statement.order_by(WebhookSubscription.created_at.desc(), WebhookSubscription.uuid.desc())
    return fetch_page(session, statement, page)


def delete(session: Session, *, subscription_id: uuid.UUID) -> None:
    """Delete a subscription; its events and deliveries go with it (ON DELETE CASCADE)."""
    session.delete(get(session, subscription_id))
    session.flush()


def deliveries_page(
    session: Session, *, subscription_id: uuid.UUID, page: PageParams
) -> tuple[list[WebhookDelivery], int]:
    """The subscription's deliveries, newest first; 404 for an unknown subscription."""
    get(session, subscription_id)
    statement = (
        select(WebhookDelivery)
        .where(WebhookDelivery.subscription_id == subscription_id)
        .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())
    )
    return fetch_page(session, statement, page)


def lower_headers(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Header names lower-cased (a repeated header keeps its last value)."""
    return {name.lower(): value for name, value in headers}


def signature_valid(secret_key: str | None, header: str | None, raw: bytes, parsed: Any) -> bool | None:
    """None without a key; False for a missing or malformed header; else a constant-time HMAC check.

    Accepted: HMAC-SHA256 of the raw body (what this system sends), or of the original's canonical form
    `json.dumps(parsed, sort_keys=True, ensure_ascii=False)`.
    """
    if not secret_key:
        return None
    if header is None or not header.startswith("sha256="):
        return False
    given = header.removeprefix("sha256=").strip().lower()
    key = secret_key.encode()
    canonical = json.dumps(parsed, sort_keys=True, ensure_ascii=False).encode()
    valid = False
    for candidate in (raw, canonical):
        expected = hmac.new(key, candidate, hashlib.sha256).hexdigest()
        valid |= hmac.compare_digest(expected, given)
    return valid


def receive_test(
    *, raw: bytes, parsed: Any, headers: dict[str, str], secret_key: str | None, now: datetime
) -> dict[str, Any]:
    """The test receiver's answer; nothing is stored or sent."""
    return {
        "status": "received",
        "received_at": now,
        "event": headers.get(EVENT_HEADER),
        "signature_valid": signature_valid(secret_key, headers.get(SIGNATURE_HEADER), raw, parsed),
        "headers": headers,
        "payload": parsed,
    }
