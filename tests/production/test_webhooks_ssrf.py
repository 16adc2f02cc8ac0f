"""Webhooks cannot be turned against the server: refused targets at subscription and at send time."""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
from collections.abc import Iterator

import pytest

from opsuite.core.db import Database
from opsuite.core.logs import RedactFilter
from opsuite.production.settings import ProductionSettings
from opsuite.production.webhooks.models import WebhookSubscription, WebhookSubscriptionEvent
from tests.production.conftest import START
from tests.production.helpers import Api
from tests.production.test_webhooks_delivery import SECRET, deliveries, subscribe
from tests.production.webhook_receiver import FakeDns, Receiver, Reply

LOOPBACK_OPEN = {"webhook_allowed_networks": [ipaddress.ip_network("127.0.0.0/8")]}
PASSWORD = "pw-Hx7q2"


@pytest.fixture
def settings(settings: ProductionSettings, request: pytest.FixtureRequest) -> ProductionSettings:
    """The default settings, or those updated by the test's indirect parameter."""
    return settings.model_copy(update=getattr(request, "param", {}))


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver().running() as running:
        yield running


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> FakeDns:
    """Scripted name answers for the sender's resolver."""
    fake = FakeDns()
    monkeypatch.setattr(socket, "getaddrinfo", fake.getaddrinfo)
    return fake


def port_of(receiver: Receiver) -> str:
    return receiver.url.rsplit(":", 1)[1]


def stored_subscription(database: Database, url: str) -> str:
    """A subscription written before URLs were checked (no API involved): the sender must still refuse it."""
    with database.session() as session:
        subscription = WebhookSubscription(
            url=url,
            secret_key=SECRET,
            is_active=True,
            retry_count=0,
            timeout_seconds=5,
            created_at=START,
            event_rows=[WebhookSubscriptionEvent(event_name="batch.created", position=0)],
        )
        session.add(subscription)
        session.flush()
        return str(subscription.uuid)


def refused_at(url: str, reason: str) -> tuple[str, dict[str, str]]:
    return url, {"detail": f"URL webhook указывает на запрещённый адрес: {reason}"}


@pytest.mark.parametrize(
    ("url", "answer"),
    [
        refused_at("http://127.0.0.1:8005/api/waybills/", "локальный адрес (loopback)"),
        refused_at("http://localhost:8003/api/webhooks/test", "локальный адрес (loopback)"),
        refused_at("http://[::ffff:127.0.0.1]:8005/", "локальный адрес (loopback)"),
        refused_at(
            "http://169.254.169.254/latest/meta-data/",
            "адрес link-local (в том числе адрес метаданных 169.254.169.254)",
        ),
        refused_at("http://0.0.0.0:8005/", "неуказанный адрес"),
        refused_at("http://224.0.0.1/", "групповой адрес (multicast)"),
        refused_at("http://240.0.0.1/", "зарезервированный адрес"),
        refused_at("https://10.0.0.5/hook", "адрес частной сети"),
        refused_at("https://[fd00::5]/hook", "адрес частной сети"),
    ],
)
def test_subscription_refuses_a_refused_literal_at_once(api: Api, url: str, answer: dict[str, str]) -> None:
    assert (
        api.call(
            "POST", "/api/webhooks", 422, json={"url": url, "events": ["batch.created"], "secret_key": "s"}
        )
        == answer
    )
    assert api.call("GET", "/api/webhooks", 200)["total"] == 0


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://2130706433/", "IP-адрес должен быть записан в обычной форме (как 203.0.113.5)"),
        ("http://0x7f000001/", "IP-адрес должен быть записан в обычной форме (как 203.0.113.5)"),
        ("http://0177.0.0.1:8005/", "IP-адрес должен быть записан в обычной форме (как 203.0.113.5)"),
        ("http://127.1/", "IP-адрес должен быть записан в обычной форме (как 203.0.113.5)"),
        ("https://user:pass@example.com/hook", "URL не должен содержать учётные данные (user:password@)"),
        ("https://user@example.com/hook", "URL не должен содержать учётные данные (user:password@)"),
    ],
)
def test_subscription_refuses_numeric_forms_and_credentials(api: Api, url: str, message: str) -> None:
    body = api.call(
        "POST", "/api/webhooks", 422, json={"url": url, "events": ["batch.created"], "secret_key": "s"}
    )
    assert body["detail"] == "Ошибка валидации запроса"
    [error] = body["errors"]
    assert (error["loc"], error["msg"]) == (
        ["body", "url"],
        f"Value error, WebhookSubscriptionEntity.url: {message}",
    )


@pytest.mark.parametrize(
    ("settings", "opened", "refused"),
    [
        ({"webhook_allow_private_networks": True}, "https://10.0.0.5/hook", "http://127.0.0.1:8005/"),
        ({"webhook_allow_private_networks": True}, "https://[fd00::5]/hook", "http://169.254.169.254/"),
        (LOOPBACK_OPEN, "http://127.0.0.1:8005/hook", "https://10.0.0.5/hook"),
        (LOOPBACK_OPEN, "http://localhost:8005/hook", "http://[::1]:8005/hook"),
    ],
    indirect=["settings"],
)
def test_settings_open_private_or_listed_networks_only(api: Api, opened: str, refused: str) -> None:
    body = {"events": ["batch.created"], "secret_key": "s"}
    api.call("POST", "/api/webhooks", 201, json={**body, "url": opened})
    api.call("POST", "/api/webhooks", 422, json={**body, "url": refused})


def test_a_name_resolving_to_loopback_is_refused_at_send_time(
    api: Api, receiver: Receiver, dns: FakeDns
) -> None:
    dns.answers["hooks.example"] = ["127.0.0.1"]
    sub = subscribe(api, f"http://hooks.example:{port_of(receiver)}/hook", retry_count=0)
    api.batch()
    [delivery] = deliveries(api, sub["uuid"])
    assert receiver.requests == []
    assert dns.asked == ["hooks.example"]
    assert (
        delivery["status"],
        delivery["attempts"],
        delivery["response_status"],
        delivery["error_message"],
    ) == (
        "failed",
        1,
        None,
        "Все попытки исчерпаны: адрес получателя запрещён (loopback)",
    )


def test_a_stored_loopback_url_is_refused_at_send_time(
    api: Api, receiver: Receiver, database: Database
) -> None:
    sub_id = stored_subscription(database, receiver.url + "/hook")
    api.batch()
    [delivery] = deliveries(api, sub_id)
    assert receiver.requests == []
    assert delivery["error_message"] == "Все попытки исчерпаны: адрес получателя запрещён (loopback)"


@pytest.mark.parametrize(
    "settings", [{"webhook_allowed_networks": [ipaddress.ip_network("127.0.0.1/32")]}], indirect=True
)
def test_an_opened_name_is_sent_to_its_checked_address_with_its_host(
    api: Api, receiver: Receiver, dns: FakeDns
) -> None:
    dns.answers["hooks.example"] = ["127.0.0.1"]
    dns.answers["other.example"] = ["127.0.0.2"]  # loopback too, but not in the opened network
    opened = subscribe(api, f"http://hooks.example:{port_of(receiver)}/hook")
    refused = subscribe(api, f"http://other.example:{port_of(receiver)}/hook", retry_count=0)
    api.batch()
    [request] = receiver.wait(1)
    [delivered] = deliveries(api, opened["uuid"])
    [not_sent] = deliveries(api, refused["uuid"])
    assert (request.path, request.headers["Host"]) == ("/hook", f"hooks.example:{port_of(receiver)}")
    assert (delivered["status"], delivered["response_body"]) == ("success", "OK")
    assert not_sent["error_message"] == "Все попытки исчерпаны: адрес получателя запрещён (loopback)"
    assert sorted(dns.asked) == ["hooks.example", "other.example"]  # each name resolved once


@pytest.mark.parametrize("settings", [LOOPBACK_OPEN], indirect=True)
def test_a_stored_url_with_credentials_is_never_sent_shown_or_logged(
    api: Api, receiver: Receiver, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.handler.addFilter(RedactFilter())
    caplog.set_level(logging.DEBUG)
    url = f"http://hook:{PASSWORD}@127.0.0.1:{port_of(receiver)}/hook"
    sub_id = stored_subscription(database, url)
    api.batch()
    [delivery] = deliveries(api, sub_id)

    assert receiver.requests == []
    assert (
        delivery["error_message"]
        == "Все попытки исчерпаны: URL получателя содержит учётные данные: отправка запрещена"
    )
    shown = f"http://***@127.0.0.1:{port_of(receiver)}/hook"
    assert api.call("GET", f"/api/webhooks/{sub_id}", 200)["url"] == shown
    assert [item["url"] for item in api.call("GET", "/api/webhooks", 200)["items"]] == [shown]
    assert PASSWORD not in caplog.text


@pytest.fixture
def banner_port() -> Iterator[int]:
    """A TCP service that is not HTTP: it sends an SSH banner and closes."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(5)
    server.close()


@pytest.mark.parametrize("settings", [LOOPBACK_OPEN], indirect=True)
def test_failures_to_connect_read_the_same(api: Api, dns: FakeDns, banner_port: int) -> None:
    with Receiver().running() as gone:
        closed = gone.url
    dns.answers["nowhere.example"] = []
    subs = [
        subscribe(api, closed + "/hook", retry_count=0),
        subscribe(api, "http://nowhere.example/hook", retry_count=0),
        subscribe(api, f"http://127.0.0.1:{banner_port}/hook", retry_count=0),
    ]
    api.batch()
    errors = [deliveries(api, sub["uuid"])[0]["error_message"] for sub in subs]
    assert errors == ["Все попытки исчерпаны: получатель недоступен"] * 3


@pytest.mark.parametrize("settings", [{**LOOPBACK_OPEN, "webhook_response_excerpt_chars": 16}], indirect=True)
def test_only_an_excerpt_of_the_reply_is_kept(api: Api, receiver: Receiver) -> None:
    receiver.answer(Reply(200, ("ответ соседнего сервиса " * 40).encode()))
    sub = subscribe(api, receiver.url)
    api.batch()
    [delivery] = deliveries(api, sub["uuid"])
    assert delivery["response_body"] == "ответ соседнего "
