"""Webhook subscription routes, the test receiver and the event types list: exact bodies."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from opsuite.core.db import Database
from opsuite.production.webhooks.models import WebhookDelivery, WebhookSubscription
from tests.clock import FakeClock
from tests.production.helpers import Api

BODY = {
    "url": "https://example.com/webhook",
    "events": ["batch.created", "batch.closed"],
    "secret_key": "webhook_secret_key",
    "is_active": True,
    "retry_count": 3,
    "timeout": 10,
}


def test_create_answers_the_document_shape_without_the_secret(api: Api) -> None:
    created = api.call("POST", "/api/webhooks", 201, json=BODY)
    assert created == {
        "uuid": created["uuid"],
        "created_at": "2025-01-15T10:30:00Z",
        "updated_at": None,
        "url": "https://example.com/webhook",
        "events": ["batch.created", "batch.closed"],
        "is_active": True,
        "retry_count": 3,
        "timeout": 10,
    }
    assert api.call("GET", f"/api/webhooks/{created['uuid']}", 200) == created


def test_create_defaults_and_repeated_events(api: Api) -> None:
    created = api.call(
        "POST",
        "/api/webhooks",
        201,
        json={"url": "http://h/x", "events": ["batch.closed", "batch.closed"], "secret_key": "s"},
    )
    assert (created["events"], created["is_active"], created["retry_count"], created["timeout"]) == (
        ["batch.closed"],
        True,
        3,
        10,
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"url": "  "}, "URL webhook не может быть пустым"),
        (
            {"url": "ftp://example.com/x"},
            "WebhookSubscriptionEntity.url: невалидный формат URL 'ftp://example.com/x'. "
            "Ожидается http:// или https://",
        ),
        ({"events": []}, "WebhookSubscriptionEntity.events: Список событий не может быть пустым"),
        (
            {"events": ["batch.created", "batch.updated"]},
            "WebhookSubscriptionEntity.events: Все события должны быть типа EventTypesEnum",
        ),
        ({"secret_key": " "}, "Секретный ключ не может быть пустым"),
        ({"retry_count": -1}, "Количество повторов должно быть >= 0"),
        ({"timeout": 0}, "Таймаут должен быть > 0"),
    ],
)
def test_create_refuses_bad_values(api: Api, change: dict[str, Any], message: str) -> None:
    body = api.call("POST", "/api/webhooks", 422, json={**BODY, **change})
    assert body["detail"] == "Ошибка валидации запроса"
    [error] = body["errors"]
    assert error["msg"] == f"Value error, {message}"
    assert error["loc"] == ["body", next(iter(change))]


def test_create_refuses_a_missing_field(api: Api) -> None:
    body = api.call("POST", "/api/webhooks", 422, json={"url": "https://e.com", "events": ["batch.created"]})
    assert body["detail"] == "Ошибка валидации запроса"
    assert [(e["type"], e["loc"]) for e in body["errors"]] == [("missing", ["body", "secret_key"])]


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        ({"retry_count": 11}, "Количество повторов должно быть <= 10"),
        ({"timeout": 31}, "Таймаут должен быть <= 30"),
    ],
)
def test_create_refuses_values_over_the_caps(api: Api, change: dict[str, Any], detail: str) -> None:
    assert api.call("POST", "/api/webhooks", 422, json={**BODY, **change}) == {"detail": detail}


def test_list_newest_first_filtered_and_paged(api: Api, clock: FakeClock) -> None:
    first = api.call("POST", "/api/webhooks", 201, json={**BODY, "events": ["batch.created"]})
    clock.advance(seconds=1)
    second = api.call("POST", "/api/webhooks", 201, json={**BODY, "events": ["batch.closed"]})
    clock.advance(seconds=1)
    third = api.call("POST", "/api/webhooks", 201, json={**BODY, "events": ["batch.closed", "batch.created"]})

    page = api.call("GET", "/api/webhooks", 200)
    assert [item["uuid"] for item in page["items"]] == [third["uuid"], second["uuid"], first["uuid"]]
    assert (page["total"], page["limit"], page["offset"]) == (3, 25, 0)
    assert all("secret_key" not in item for item in page["items"])

    created = api.call("GET", "/api/webhooks?event_type=batch.created", 200)
    assert [item["uuid"] for item in created["items"]] == [third["uuid"], first["uuid"]]
    assert created["total"] == 2

    window = api.call("GET", "/api/webhooks?limit=1&offset=1", 200)
    assert [item["uuid"] for item in window["items"]] == [second["uuid"]]
    assert (window["total"], window["limit"], window["offset"]) == (3, 1, 1)

    empty = api.call("GET", "/api/webhooks?event_type=work_center.deleted", 200)
    assert empty == {"items": [], "total": 0, "limit": 25, "offset": 0}


@pytest.mark.parametrize("query", ["event_type=batch.updated", "limit=0", "limit=101", "offset=-1"])
def test_list_refuses_bad_parameters(api: Api, query: str) -> None:
    body = api.call("GET", f"/api/webhooks?{query}", 422)
    assert body["detail"] == "Ошибка валидации запроса"
    assert len(body["errors"]) == 1


def test_unknown_subscription_is_404(api: Api) -> None:
    missing = uuid.uuid4()
    detail = {"detail": f"Подписка на webhook с UUID {missing} не найдена"}
    assert api.call("GET", f"/api/webhooks/{missing}", 404) == detail
    assert api.call("DELETE", f"/api/webhooks/{missing}", 404) == detail
    assert api.call("GET", f"/api/webhooks/{missing}/deliveries", 404) == detail
    assert api.call("GET", "/api/webhooks/not-a-uuid", 422)["detail"] == "Ошибка валидации запроса"


def test_delete_then_404(api: Api) -> None:
    created = api.call("POST", "/api/webhooks", 201, json=BODY)
    assert api.call("DELETE", f"/api/webhooks/{created['uuid']}", 204) is None
    api.call("GET", f"/api/webhooks/{created['uuid']}", 404)


def test_deliveries_of_a_quiet_subscription_are_an_empty_page(api: Api) -> None:
    created = api.call("POST", "/api/webhooks", 201, json=BODY)
    page = api.call("GET", f"/api/webhooks/{created['uuid']}/deliveries?limit=10&offset=0", 200)
    assert page == {"items": [], "total": 0, "limit": 10, "offset": 0}


# -- POST /api/webhooks/test ------------------------------------------------------------------------------

RAW = b'{"batch_id":"550e8400-e29b-41d4-a716-446655440000","n":1}'
KEY = "my_secret_key"


def hexmac(data: bytes, key: str = KEY) -> str:
    return hmac.new(key.encode(), data, hashlib.sha256).hexdigest()


def post_test(api: Api, query: str = "", headers: dict[str, str] | None = None, raw: bytes = RAW) -> Any:
    return api.call(
        "POST",
        f"/api/webhooks/test{query}",
        200,
        content=raw,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def test_the_test_receiver_echoes_without_a_key(api: Api) -> None:
    body = post_test(api, headers={"X-Webhook-Event": "batch.created", "X-Webhook-Signature": "sha256=00"})
    assert body["status"] == "received"
    assert body["received_at"] == "2025-01-15T10:30:00Z"
    assert body["event"] == "batch.created"
    assert body["signature_valid"] is None
    assert body["payload"] == {"batch_id": "550e8400-e29b-41d4-a716-446655440000", "n": 1}
    assert body["headers"]["x-webhook-event"] == "batch.created"
    assert body["headers"]["x-webhook-signature"] == "sha256=00"
    assert body["headers"]["content-type"] == "application/json"
    assert all(name == name.lower() for name in body["headers"])


@pytest.mark.parametrize(
    ("headers", "valid"),
    [
        ({}, False),
        ({"X-Webhook-Signature": "sha256=" + "0" * 64}, False),
        ({"X-Webhook-Signature": hexmac(RAW)}, False),  # no scheme
        ({"X-Webhook-Signature": "sha256=" + hexmac(RAW, "other")}, False),
        ({"X-Webhook-Signature": "sha256=" + hexmac(RAW)}, True),
        ({"x-webhook-signature": "sha256=" + hexmac(RAW)}, True),
        ({"X-WEBHOOK-SIGNATURE": "sha256=" + hexmac(RAW).upper()}, True),
    ],
)
def test_the_test_receiver_checks_the_raw_body(api: Api, headers: dict[str, str], valid: bool) -> None:
    body = post_test(api, f"?secret_key={KEY}", headers)
    assert body["signature_valid"] is valid
    assert body["event"] is None


def test_the_test_receiver_accepts_the_originals_canonical_form(api: Api) -> None:
    raw = '{"event": "batch.created", "data": {"номер": 1}}'.encode()
    canonical = json.dumps(json.loads(raw), sort_keys=True, ensure_ascii=False).encode()
    assert canonical != raw
    body = post_test(api, f"?secret_key={KEY}", {"X-Webhook-Signature": "sha256=" + hexmac(canonical)}, raw)
    assert body["signature_valid"] is True


def test_the_test_receiver_refuses_a_body_that_is_not_json(api: Api) -> None:
    for raw in (b"not json", b""):
        body = api.call("POST", "/api/webhooks/test", 422, content=raw)
        assert body["detail"] == "Ошибка валидации запроса"
        assert body["errors"][0]["type"] == "json_invalid"


def test_the_test_receiver_stores_and_sends_nothing(api: Api, database: Database) -> None:
    api.call("POST", "/api/webhooks", 201, json=BODY)
    post_test(api, f"?secret_key={KEY}")
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(WebhookSubscription)) == 1
        assert session.scalar(select(func.count()).select_from(WebhookDelivery)) == 0


def test_the_test_route_is_not_read_as_an_id(api: Api) -> None:
    body = api.call("GET", "/api/webhooks/test", 422)
    assert body["errors"][0]["loc"] == ["path", "subscription_id"]


# -- GET /api/events ----------------------------------------------------------------------------------------

EVENTS = [
    ("batch.aggregated", "Событие агрегации партии"),
    ("batch.closed", "Событие закрытия партии"),
    ("batch.created", "Событие создания партии"),
    ("batch.deleted", "Событие удаления партии"),
    ("batch.import_completed", "Событие завершения импорта партий"),
    ("batch.opened", "Событие открытия партии"),
    ("batch.product_added", "Событие добавления продукта в партию"),
    ("batch.product_removed", "Событие удаления продукта из партии"),
    ("batch.report_generated", "Событие генерации отчёта по партии"),
    ("product.aggregated", "Событие агрегации продукта"),
    ("work_center.deleted", "Событие удаления рабочего центра"),
]


def test_events_lists_the_eleven_documented_types_by_name(api: Api) -> None:
    body = api.call("GET", "/api/events", 200)
    assert list(body) == ["items"]
    assert [(item["name"], item["description"]) for item in body["items"]] == EVENTS
    for item in body["items"]:
        assert set(item) == {
            "uuid",
            "created_at",
            "updated_at",
            "name",
            "version",
            "webhook_enabled",
            "description",
        }
        uuid.UUID(item["uuid"])
        assert item["created_at"].endswith("Z")
        assert (item["updated_at"], item["version"], item["webhook_enabled"]) == (None, 1, True)


def test_every_listed_event_can_be_subscribed(api: Api) -> None:
    names = [item["name"] for item in api.call("GET", "/api/events", 200)["items"]]
    created = api.call("POST", "/api/webhooks", 201, json={**BODY, "events": names})
    assert created["events"] == names
