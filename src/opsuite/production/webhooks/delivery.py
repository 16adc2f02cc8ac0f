"""The production outbox: webhook deliveries resolved to their subscription's URL and secret."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from opsuite.core.clock import Clock
from opsuite.core.db import Database
from opsuite.core.outbox import Messages, Outbox, RetryPolicy, Target
from opsuite.production.settings import ProductionSettings
from opsuite.production.webhooks.models import WebhookDelivery, WebhookSubscription

CONCURRENCY = 64
HEADER_PREFIX = "X-Webhook"
MESSAGES = Messages(
    exhausted="Все попытки исчерпаны: {error}",
    no_target="Получатель доставки не найден",
    lock_expired="отправка прервана: обработчик не завершил попытку",
    timeout="нет ответа за {timeout:g} с",
    http_status="HTTP {status}",
    unreachable="получатель недоступен",
    refused="адрес получателя запрещён ({reason})",
    credentials="URL получателя содержит учётные данные: отправка запрещена",
)

WebhookOutbox = Outbox[WebhookDelivery]


def resolve(session: Session, rows: Sequence[Any]) -> dict[uuid.UUID, Target | str]:
    """Each delivery's subscription URL and secret; an inactive or deleted subscription cancels it."""
    wanted = {row.subscription_id for row in rows}
    subscriptions = {
        sub.uuid: sub
        for sub in session.execute(
            select(
                WebhookSubscription.uuid,
                WebhookSubscription.url,
                WebhookSubscription.secret_key,
                WebhookSubscription.is_active,
            ).where(WebhookSubscription.uuid.in_(wanted))
        )
    }
    answer: dict[uuid.UUID, Target | str] = {}
    for row in rows:
        sub = subscriptions.get(row.subscription_id)
        if sub is None:
            answer[row.id] = f"Подписка на webhook с UUID {row.subscription_id} не найдена"
        elif not sub.is_active:
            answer[row.id] = "Подписка неактивна: доставка отменена"
        else:
            answer[row.id] = Target(url=sub.url, secret=sub.secret_key)
    return answer


def build_outbox(database: Database, settings: ProductionSettings, clock: Clock) -> WebhookOutbox:
    """The webhook outbox of one runtime: `X-Webhook-*` headers, Russian error texts, the settings' limits."""
    return Outbox(
        database,
        WebhookDelivery,
        resolve,
        header_prefix=HEADER_PREFIX,
        messages=MESSAGES,
        clock=clock,
        policy=RetryPolicy(base=settings.webhook_retry_base_seconds, cap=settings.webhook_retry_cap_seconds),
        lock_for=settings.webhook_max_timeout_seconds + settings.webhook_lock_margin_seconds,
        address_policy=settings.webhook_address_policy,
        response_excerpt=settings.webhook_response_excerpt_chars,
        per_target=settings.webhook_max_in_flight_per_target,
    )
