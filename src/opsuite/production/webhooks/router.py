"""Webhook routes: subscriptions, their deliveries, and a test receiver that checks signatures."""

from __future__ import annotations

import json
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.exceptions import RequestValidationError

from opsuite.core.text import JSONRefused, decode_json
from opsuite.production import demo_ids
from opsuite.production.common.examples import demo_path
from opsuite.production.common.paging import Page, PageDep, page_of
from opsuite.production.deps import RuntimeDep, SessionDep
from opsuite.production.errors import error_responses
from opsuite.production.webhooks import service
from opsuite.production.webhooks.models import WebhookSubscription
from opsuite.production.webhooks.schemas import (
    DeliveryOut,
    EventName,
    TestReceived,
    WebhookCreate,
    WebhookOut,
)

router = APIRouter(prefix="/webhooks", tags=["Webhooks"])
DemoSubscription = Annotated[
    uuid.UUID, demo_path(demo_ids.WEBHOOK, "неактивная подписка демо-данных на свой тестовый приёмник")
]

_TEST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"type": "object", "additionalProperties": True},
                "example": {"batch_id": "550e8400-e29b-41d4-a716-446655440000"},
            }
        },
    }
}


@router.post(
    "",
    summary="Создание подписки на вебхуки",
    status_code=status.HTTP_201_CREATED,
    response_model=WebhookOut,
    responses=error_responses(422),
)
def create_webhook(body: WebhookCreate, session: SessionDep, runtime: RuntimeDep) -> WebhookSubscription:
    """Создание подписки на вебхук.

    Пример не выполняется как есть: адрес 127.0.0.1 закрыт для вебхуков по умолчанию (защита от SSRF).
    Пример подписывает тестовый приёмник этой же системы, `http://127.0.0.1:8003/api/webhooks/test`;
    откройте этот адрес — `OPSUITE_PRODUCTION_WEBHOOK_ALLOWED_NETWORKS='["127.0.0.1/32"]'` — и пример
    ответит 201."""
    return service.create(session, data=body, settings=runtime.settings, now=runtime.clock.now())


@router.get(
    "", summary="Список подписок на вебхуки", response_model=Page[WebhookOut], responses=error_responses(422)
)
def list_webhooks(
    session: SessionDep,
    page: PageDep,
    event_type: Annotated[EventName | None, Query(description="Только подписки на это событие")] = None,
) -> Page[WebhookOut]:
    """Список подписок (новые первыми)."""
    items, total = service.list_page(
        session, page=page, event_type=None if event_type is None else str(event_type.value)
    )
    return page_of(WebhookOut, items, total, page)


# Declared before `/{subscription_id}` routes so that `test` is never read as an id.
@router.post(
    "/test",
    summary="Тестовый приёмник вебхуков",
    response_model=TestReceived,
    responses=error_responses(422),
    openapi_extra=_TEST_BODY,
)
async def receive_test_webhook(
    request: Request,
    runtime: RuntimeDep,
    secret_key: Annotated[
        str | None, Query(max_length=255, description="Секрет для проверки подписи (необязательный)")
    ] = None,
) -> dict[str, Any]:
    """Тестовый приём webhook: проверяет подпись `X-Webhook-Signature` по сырому телу, ничего не сохраняет."""
    raw = await request.body()
    try:
        parsed = decode_json(raw)
    except ValueError as exc:
        position = exc.pos if isinstance(exc, json.JSONDecodeError) else 0
        message = str(exc) if isinstance(exc, JSONRefused) else "JSON decode error"
        raise RequestValidationError(
            [{"type": "json_invalid", "loc": ("body", position), "msg": message, "input": {}}]
        ) from None
    return service.receive_test(
        raw=raw,
        parsed=parsed,
        headers=service.lower_headers(request.headers.items()),
        secret_key=secret_key,
        now=runtime.clock.now(),
    )


@router.get(
    "/{subscription_id}",
    summary="Подписка по ID",
    response_model=WebhookOut,
    responses=error_responses(404, 422),
)
def get_webhook(subscription_id: DemoSubscription, session: SessionDep) -> WebhookSubscription:
    """Получение подписки по ID."""
    return service.get(session, subscription_id)


@router.delete(
    "/{subscription_id}",
    summary="Удаление подписки",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(404, 422),
)
def delete_webhook(subscription_id: DemoSubscription, session: SessionDep) -> Response:
    """Удаление подписки (вместе с её доставками)."""
    service.delete(session, subscription_id=subscription_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{subscription_id}/deliveries",
    summary="Доставки подписки",
    response_model=Page[DeliveryOut],
    responses=error_responses(404, 422),
)
def list_deliveries(
    subscription_id: DemoSubscription, session: SessionDep, page: PageDep
) -> Page[DeliveryOut]:
    """Список доставок подписки (новые первыми)."""
    items, total = service.deliveries_page(session, subscription_id=subscription_id, page=page)
    return page_of(DeliveryOut, items, total, page)
