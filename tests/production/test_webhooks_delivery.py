"""Webhook delivery end to end: a real receiver on 127.0.0.1, signatures checked over the raw bytes."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from opsuite.core.db import Database
from opsuite.production.events.service import emit
from opsuite.production.settings import ProductionSettings
from opsuite.production.webhooks import tasks as webhooks_tasks
from opsuite.production.webhooks.models import WebhookDelivery, WebhookSubscription
from tests.clock import FakeClock
from tests.production.helpers import Api
from tests.production.webhook_receiver import Receiver, Reply

SECRET = "my_secret_key"


@pytest.fixture
def settings(settings: ProductionSettings) -> ProductionSettings:
    """The receiver listens on 127.0.0.1: opened by the setting, as a site opens its receivers' network."""
    return settings.model_copy(update={"webhook_allowed_networks": [ipaddress.ip_network("127.0.0.0/8")]})


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A receiver answering 200 "OK" unless scripted."""
    with Receiver().running() as running:
        yield running


def subscribe(api: Api, url: str, **overrides: Any) -> dict[str, Any]:
    """A subscription to batch.created (unless overridden)."""
    body = {"url": url, "events": ["batch.created"], "secret_key": SECRET, **overrides}
    return api.call("POST", "/api/webhooks", 201, json=body)


def deliveries(api: Api, subscription_id: str) -> list[dict[str, Any]]:
    """The delivery log of a subscription, once the engine is idle."""
    assert api.client.app.state.webhook_engine.join(15), "deliveries did not settle"  # type: ignore[attr-defined]
    return api.call("GET", f"/api/webhooks/{subscription_id}/deliveries", 200)["items"]


def sign(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_batch_created_is_delivered_signed_over_the_exact_bytes(
    api: Api, receiver: Receiver, clock: FakeClock
) -> None:
    sub = subscribe(api, receiver.url + "/hook")
    batch = api.batch()
    [request] = receiver.wait(1)
    [delivery] = deliveries(api, sub["uuid"])

    assert request.path == "/hook"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["X-Webhook-Signature"] == sign(request.body)
    assert request.headers["X-Webhook-Event"] == "batch.created"
    assert request.headers["X-Webhook-Id"] == delivery["uuid"]
    assert request.headers["X-Webhook-Timestamp"] == str(int(clock.now().timestamp()))
    envelope = json.loads(request.body)
    assert list(envelope) == ["event", "timestamp", "delivery_id", "data"]
    assert envelope["event"] == "batch.created"
    assert envelope["timestamp"] == "2025-01-15T10:30:00Z"
    assert envelope["delivery_id"] == delivery["uuid"]
    assert envelope["data"]["batch_id"] == batch["uuid"]
    assert envelope["data"]["batch_number"] == 1001
    assert delivery == {
        "uuid": delivery["uuid"],
        "created_at": "2025-01-15T10:30:00Z",
        "updated_at": "2025-01-15T10:30:00Z",
        "subscription_id": sub["uuid"],
        "event_type": "batch.created",
        "payload": envelope["data"],
        "status": "success",
        "attempts": 1,
        "response_status": 200,
        "response_body": "OK",
        "error_message": None,
        "delivered_at": "2025-01-15T10:30:00Z",
    }


def test_the_test_endpoint_accepts_what_the_sender_sends(api: Api, receiver: Receiver) -> None:
    subscribe(api, receiver.url)
    api.batch()
    [request] = receiver.wait(1)
    echoed = api.call(
        "POST",
        f"/api/webhooks/test?secret_key={SECRET}",
        200,
        content=request.body,
        headers={key: value for key, value in request.headers.items() if key.lower().startswith("x-webhook")},
    )
    assert echoed["signature_valid"] is True
    assert echoed["event"] == "batch.created"


def test_retries_until_success_with_a_stable_id_and_identical_bytes(api: Api, receiver: Receiver) -> None:
    receiver.answer(Reply(500, b"boom"), Reply(503, b"later"), Reply(200, b"fine"))
    sub = subscribe(api, receiver.url, retry_count=3)
    api.batch()
    requests = receiver.wait(3)
    [delivery] = deliveries(api, sub["uuid"])

    assert len({r.headers["X-Webhook-Id"] for r in requests}) == 1
    assert len({r.body for r in requests}) == 1
    assert len({r.headers["X-Webhook-Signature"] for r in requests}) == 1
    assert delivery["status"] == "success"
    assert delivery["attempts"] == 3
    assert delivery["response_status"] == 200
    assert delivery["response_body"] == "fine"
    assert delivery["error_message"] is None
    time.sleep(0.2)
    assert len(receiver.requests) == 3


def test_fails_after_the_last_attempt(api: Api, receiver: Receiver) -> None:
    receiver.answer(Reply(500, b"x" * 5000))
    sub = subscribe(api, receiver.url, retry_count=2)
    api.batch()
    receiver.wait(3)
    [delivery] = deliveries(api, sub["uuid"])
    assert delivery["status"] == "failed"
    assert delivery["attempts"] == 3
    assert delivery["response_status"] == 500
    assert delivery["response_body"] == "x" * 256  # only an excerpt is kept (issue 12: was 1000)
    assert delivery["error_message"] == "Все попытки исчерпаны: HTTP 500"
    assert delivery["delivered_at"] is None
    time.sleep(0.2)
    assert len(receiver.requests) == 3


def test_redirects_are_not_followed_and_fail(api: Api, receiver: Receiver) -> None:
    receiver.answer(Reply(302, b"", headers={"Location": receiver.url + "/elsewhere"}))
    sub = subscribe(api, receiver.url + "/hook", retry_count=0)
    api.batch()
    [delivery] = deliveries(api, sub["uuid"])
    assert [r.path for r in receiver.requests] == ["/hook"]
    assert delivery["status"] == "failed"
    assert delivery["attempts"] == 1
    assert delivery["response_status"] == 302
    assert delivery["error_message"] == "Все попытки исчерпаны: HTTP 302"


def test_the_timeout_is_honoured(api: Api, receiver: Receiver) -> None:
    receiver.answer(Reply(200, b"late", delay=3))
    sub = subscribe(api, receiver.url, retry_count=0, timeout=1)
    started = time.monotonic()
    api.batch()
    [delivery] = deliveries(api, sub["uuid"])
    assert time.monotonic() - started < 2.8
    assert delivery["status"] == "failed"
    assert delivery["response_status"] is None
    assert delivery["error_message"] == "Все попытки исчерпаны: нет ответа за 1 с"


def test_a_refused_connection_is_an_error_of_the_attempt(api: Api) -> None:
    with Receiver().running() as gone:
        url = gone.url
    sub = subscribe(api, url, retry_count=1)
    api.batch()
    [delivery] = deliveries(api, sub["uuid"])
    assert delivery["status"] == "failed"
    assert delivery["attempts"] == 2
    # One neutral text for every failure to connect (issue 12: was "ConnectError: <errno text>").
    assert delivery["error_message"] == "Все попытки исчерпаны: получатель недоступен"


def test_nothing_for_inactive_subscriptions_or_other_events(
    api: Api, receiver: Receiver, database: Database
) -> None:
    inactive = subscribe(api, receiver.url, is_active=False)
    other = subscribe(api, receiver.url, events=["batch.closed"])
    api.batch()
    assert deliveries(api, inactive["uuid"]) == []
    assert deliveries(api, other["uuid"]) == []
    time.sleep(0.2)
    assert receiver.requests == []
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(WebhookDelivery)) == 0


def test_one_delivery_per_subscriber(api: Api, receiver: Receiver) -> None:
    first = subscribe(api, receiver.url + "/a")
    second = subscribe(api, receiver.url + "/b", events=["batch.closed", "batch.created"])
    api.batch()
    receiver.wait(2)
    assert sorted(r.path for r in receiver.requests) == ["/a", "/b"]
    assert [d["status"] for d in deliveries(api, first["uuid"])] == ["success"]
    assert [d["status"] for d in deliveries(api, second["uuid"])] == ["success"]


def test_a_rolled_back_transaction_sends_nothing(api: Api, receiver: Receiver, database: Database) -> None:
    subscribe(api, receiver.url)
    outbox = api.client.app.state.runtime.outbox  # type: ignore[attr-defined]

    def fail_after_emit() -> None:
        with database.session() as session:
            emit(session, outbox, "batch.created", {"batch_id": "x"})
            session.flush()
            raise RuntimeError("business rule failed")

    def fail_in_savepoint(session: Session) -> None:
        with session.begin_nested():
            emit(session, outbox, "batch.created", {"batch_id": "savepoint"})
            raise RuntimeError("inner failure")

    with pytest.raises(RuntimeError):
        fail_after_emit()
    with database.session() as session:
        emit(session, outbox, "batch.created", {"batch_id": "kept"})
        with pytest.raises(RuntimeError):
            fail_in_savepoint(session)
    [request] = receiver.wait(1)
    api.client.app.state.webhook_engine.join(5)  # type: ignore[attr-defined]
    time.sleep(0.2)
    assert len(receiver.requests) == 1
    assert json.loads(request.body)["data"] == {"batch_id": "kept"}
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(WebhookDelivery)) == 1


class DroppingDispatcher:
    """Takes ids and loses them: a process that died right after its commit."""

    def __init__(self) -> None:
        self.dropped: list[str] = []

    def dispatch(self, ids: Any, delay: float = 0.0) -> None:
        self.dropped.extend(ids)


def test_the_sweeper_sends_deliveries_whose_dispatch_was_lost(
    api: Api, receiver: Receiver, clock: FakeClock
) -> None:
    sub = subscribe(api, receiver.url)
    engine = api.client.app.state.webhook_engine  # type: ignore[attr-defined]
    dropping = DroppingDispatcher()
    api.client.app.state.runtime.outbox.attach(dropping)  # type: ignore[attr-defined]
    api.batch()
    assert len(dropping.dropped) == 1
    runtime = api.client.app.state.runtime  # type: ignore[attr-defined]
    api.client.app.state.runtime.outbox.attach(engine)  # type: ignore[attr-defined]

    assert webhooks_tasks.sweep(runtime) == {"found": 0, "dispatched": 0}  # not overdue yet
    time.sleep(0.2)
    assert receiver.requests == []
    clock.advance(seconds=31)
    assert webhooks_tasks.sweep(runtime) == {"found": 1, "dispatched": 1}
    receiver.wait(1)
    [delivery] = deliveries(api, sub["uuid"])
    assert delivery["uuid"] == dropping.dropped[0]
    assert (delivery["status"], delivery["attempts"]) == ("success", 1)


def test_the_sweeper_retakes_an_attempt_whose_sender_died(
    api: Api, receiver: Receiver, clock: FakeClock
) -> None:
    sub = subscribe(api, receiver.url, retry_count=3)
    engine = api.client.app.state.webhook_engine  # type: ignore[attr-defined]
    runtime = api.client.app.state.runtime  # type: ignore[attr-defined]
    dropping = DroppingDispatcher()
    api.client.app.state.runtime.outbox.attach(dropping)  # type: ignore[attr-defined]
    api.batch()
    api.client.app.state.runtime.outbox.attach(engine)  # type: ignore[attr-defined]
    # A worker claims the attempt and dies before sending it.
    [claimed] = runtime.outbox.claim(dropping.dropped)
    assert claimed.number == 1
    clock.advance(seconds=60)
    assert webhooks_tasks.sweep(runtime)["found"] == 0  # the claim still holds
    clock.advance(seconds=31 + 60)
    assert webhooks_tasks.sweep(runtime) == {"found": 1, "dispatched": 1}
    [request] = receiver.wait(1)
    [delivery] = deliveries(api, sub["uuid"])
    assert request.headers["X-Webhook-Id"] == delivery["uuid"]
    assert (delivery["status"], delivery["attempts"]) == ("success", 2)


def test_a_lost_last_attempt_ends_failed(api: Api, receiver: Receiver, clock: FakeClock) -> None:
    sub = subscribe(api, receiver.url, retry_count=0)
    runtime = api.client.app.state.runtime  # type: ignore[attr-defined]
    dropping = DroppingDispatcher()
    api.client.app.state.runtime.outbox.attach(dropping)  # type: ignore[attr-defined]
    api.batch()
    runtime.outbox.claim(dropping.dropped)
    clock.advance(seconds=200)
    assert webhooks_tasks.sweep(runtime) == {"found": 0, "dispatched": 0}
    [delivery] = api.call("GET", f"/api/webhooks/{sub['uuid']}/deliveries", 200)["items"]
    assert delivery["status"] == "failed"
    assert delivery["attempts"] == 1
    assert delivery["error_message"] == (
        "Все попытки исчерпаны: отправка прервана: обработчик не завершил попытку"
    )
    assert receiver.requests == []


def test_two_concurrent_senders_never_send_one_attempt_twice(
    api: Api, receiver: Receiver, clock: FakeClock
) -> None:
    subscribe(api, receiver.url)
    runtime = api.client.app.state.runtime  # type: ignore[attr-defined]
    dropping = DroppingDispatcher()
    api.client.app.state.runtime.outbox.attach(dropping)  # type: ignore[attr-defined]
    work_center = api.work_center()["uuid"]
    for number in range(1, 31):
        api.batch(work_center, batch_number=number)
    ids = list(dropping.dropped)
    assert len(ids) == 30
    outbox = runtime.outbox
    barrier = threading.Barrier(2)
    results: list[dict[str, int]] = []

    def sender() -> None:
        barrier.wait()
        results.append(outbox.deliver(ids, dispatcher=dropping))

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sum(result["claimed"] for result in results) == 30
    assert sum(result["succeeded"] for result in results) == 30
    time.sleep(0.2)
    sent = [r.headers["X-Webhook-Id"] for r in receiver.requests]
    assert sorted(sent) == sorted(ids)  # each exactly once


def test_deleting_a_subscription_deletes_its_deliveries(
    api: Api, receiver: Receiver, database: Database
) -> None:
    sub = subscribe(api, receiver.url)
    api.batch()
    assert len(deliveries(api, sub["uuid"])) == 1
    api.call("DELETE", f"/api/webhooks/{sub['uuid']}", 204)
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(WebhookDelivery)) == 0
        assert session.get(WebhookSubscription, uuid.UUID(sub["uuid"])) is None


def test_a_subscription_deactivated_before_sending_cancels_the_delivery(
    api: Api, receiver: Receiver, clock: FakeClock, database: Database
) -> None:
    sub = subscribe(api, receiver.url)
    runtime = api.client.app.state.runtime  # type: ignore[attr-defined]
    dropping = DroppingDispatcher()
    api.client.app.state.runtime.outbox.attach(dropping)  # type: ignore[attr-defined]
    api.batch()
    with database.session() as session:
        session.get_one(WebhookSubscription, uuid.UUID(sub["uuid"])).is_active = False
    assert runtime.outbox.deliver(dropping.dropped, dispatcher=dropping)["claimed"] == 0
    [delivery] = api.call("GET", f"/api/webhooks/{sub['uuid']}/deliveries", 200)["items"]
    assert delivery["status"] == "failed"
    assert delivery["attempts"] == 0
    assert delivery["error_message"] == "Подписка неактивна: доставка отменена"
    assert receiver.requests == []
