"""Deliveries are fair per target: a slow receiver keeps only its share of the sender's slots."""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Iterator
from typing import Any

import pytest

from opsuite.core.db import Database
from opsuite.production.events.service import emit
from opsuite.production.settings import ProductionSettings
from tests.production.helpers import Api
from tests.production.test_webhooks_delivery import subscribe
from tests.production.webhook_receiver import Receiver, Reply

SLOW_SECONDS = 20.0  # each answer of the slow receiver; the fast one must be served long before
FAST_BOUND = 10.0  # generous: a loaded 2-core machine still serves five local requests well within it
SHARE = 16  # the default `webhook_max_in_flight_per_target`


@pytest.fixture
def settings(settings: ProductionSettings) -> ProductionSettings:
    """Both receivers listen on 127.0.0.1, opened by the setting."""
    return settings.model_copy(update={"webhook_allowed_networks": [ipaddress.ip_network("127.0.0.0/8")]})


@pytest.fixture
def slow() -> Iterator[Receiver]:
    with Receiver().running() as running:
        running.answer(Reply(200, b"late", delay=SLOW_SECONDS))
        yield running


@pytest.fixture
def fast() -> Iterator[Receiver]:
    with Receiver().running() as running:
        yield running


def statuses(api: Api, subscription_id: str) -> list[str]:
    items: list[dict[str, Any]] = api.call(
        "GET", f"/api/webhooks/{subscription_id}/deliveries?limit=100", 200
    )["items"]
    return [item["status"] for item in items]


def test_a_slow_receiver_does_not_delay_a_fast_one(
    api: Api, database: Database, slow: Receiver, fast: Receiver
) -> None:
    subscribe(api, slow.url + "/slow", events=["batch.created"], retry_count=0, timeout=30)
    quick = subscribe(api, fast.url + "/fast", events=["batch.closed"], retry_count=0)
    outbox = api.client.app.state.runtime.outbox  # type: ignore[attr-defined]

    # 80 deliveries to the slow receiver first: more than the sender's 64 slots.
    with database.session() as session:
        for number in range(80):
            emit(session, outbox, "batch.created", {"batch_number": number})
    slow.wait(SHARE, timeout=30)
    time.sleep(1.0)  # time for more than its share to arrive, were the share not enforced

    started = time.monotonic()
    with database.session() as session:
        for number in range(5):
            emit(session, outbox, "batch.closed", {"batch_number": number})
    fast.wait(5, timeout=FAST_BOUND)
    assert time.monotonic() - started < FAST_BOUND
    deadline = time.monotonic() + FAST_BOUND
    while statuses(api, quick["uuid"]) != ["success"] * 5 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert statuses(api, quick["uuid"]) == ["success"] * 5
    assert len(slow.requests) == SHARE  # its share and no more, still stuck on it
