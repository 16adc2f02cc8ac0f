"""The production outbox: webhook deliveries resolved to their subscription's URL and secret."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from opsuite.core.outbox import Outbox, RetryPolicy, Target
from opsuite.production.runtime import Runtime
from opsuite.production.webhooks.models import WebhookDelivery, WebhookSubscription

_EXTRA_KEY = "webhooks.outbox"
CONCURRENCY = 64


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


def outbox_of(runtime: Runtime) -> Outbox[WebhookDelivery]:
    """The runtime's webhook outbox, built once."""
    existing = runtime.extras.get(_EXTRA_KEY)
    if isinstance(existing, Outbox):
        return existing
    settings = runtime.settings
    outbox: Outbox[WebhookDelivery] = Outbox(
        runtime.database,
        WebhookDelivery,
        resolve,
        clock=runtime.clock,
        policy=RetryPolicy(base=settings.webhook_retry_base_seconds, cap=settings.webhook_retry_cap_seconds),
        lock_for=settings.webhook_max_timeout_seconds + settings.webhook_lock_margin_seconds,
        address_policy=settings.webhook_address_policy,
        response_excerpt=settings.webhook_response_excerpt_chars,
        per_target=settings.webhook_max_in_flight_per_target,
    )
    runtime.extras[_EXTRA_KEY] = outbox
    return outbox
