"""Scales under hostile input: the body limit (413), device hosts (syntax, allowed networks, host names) at
create/update, and the allowed networks checked again on the resolved address at connect time."""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from tests.clock import FakeClock
from tests.scales.helpers import ALICE, DEVICE, Api, Scales, login

from opsuite.core.db import Database
from opsuite.scales.app import create_app
from opsuite.scales.settings import ScalesSettings

OUTSIDE = "вне сетей, в которых разрешены устройства"
NO_NAMES = "IP-адрес: имена хостов не разрешены, укажите IP-адрес устройства"


def _ip_error(response: Any, message: str, value: str, kind: str = "value_error") -> None:
    assert response.status_code == 422, response.text
    assert response.json()["message"] == message
    [error] = response.json()["detail"]
    assert {key: error[key] for key in ("type", "loc", "msg", "input")} == {
        "type": kind,
        "loc": ["body", "ip"],
        "msg": message,
        "input": value,
    }


def test_a_body_over_the_limit_is_413(alice: Api) -> None:
    body = json.dumps({**DEVICE, "description": "x" * (1024 * 1024)}).encode()
    response = alice.post("/devices", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json() == {"detail": "Тело запроса больше допустимого размера (1048576 байт)"}


@pytest.mark.parametrize(
    "host", ["a..b", "a" * 64, "-scale.local", "scale_1", "127.1", "2130706433", "[::1]"]
)
def test_a_host_that_is_neither_an_address_nor_a_name_is_422(alice: Api, host: str) -> None:
    response = alice.post("/devices", json={**DEVICE, "ip": host})
    message = "IP-адрес: нужен IPv4- или IPv6-адрес или имя хоста (RFC 1123)"
    _ip_error(response, message, host)
    assert alice.get("/devices").json() == []


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("8.8.8.8", "10.1.2.3"),
        ("169.254.169.254", "172.31.0.9"),
        ("0.0.0.0", "192.168.1.50"),
        ("2001:db8::1", "::1"),
        ("100.64.0.1", "fd00::5"),
    ],
)
def test_only_addresses_in_the_allowed_networks_are_taken(alice: Api, host: str, allowed: str) -> None:
    _ip_error(alice.post("/devices", json={**DEVICE, "ip": host}), f"IP-адрес: адрес {host} {OUTSIDE}", host)
    alice.add_device()
    _ip_error(alice.put("/devices/1", json={"ip": host}), f"IP-адрес: адрес {host} {OUTSIDE}", host)
    assert alice.get("/devices/1").json()["ip"] == "127.0.0.1"
    assert alice.put("/devices/1", json={"ip": allowed}).json()["ip"] == allowed
    assert alice.add_device(name="second", ip=allowed)["ip"] == allowed


def test_a_host_name_is_refused_unless_allowed(alice: Api) -> None:
    _ip_error(
        alice.post("/devices", json={**DEVICE, "ip": "scale-1.shop.local"}), NO_NAMES, "scale-1.shop.local"
    )


def _client(settings: ScalesSettings, database: Database, scales: Scales, clock: FakeClock) -> Iterator[Api]:
    with TestClient(create_app(settings, database, scales.factory, clock=clock)) as client:
        yield Api(client, login(client, *ALICE))


def _with(settings: ScalesSettings, **changes: Any) -> ScalesSettings:
    if "device_networks" in changes:
        changes["device_networks"] = [ipaddress.ip_network(net) for net in changes["device_networks"]]
    return settings.model_copy(update=changes)


def test_with_host_names_allowed_the_resolved_address_is_checked_and_used(
    settings: ScalesSettings, database: Database, scales: Scales, clock: FakeClock
) -> None:
    named = _with(settings, device_host_names=True)
    for alice in _client(named, database, scales, clock):
        assert alice.add_device(ip="localhost")["ip"] == "localhost"
        assert alice.post("/devices/1/test").status_code == 200
    assert [params.host for params in scales.params] in (["127.0.0.1"], ["::1"])
    # The name stays allowed, but the networks no longer hold what it resolves to: refused at connect.
    narrowed = _with(named, device_networks=["10.0.0.0/8"])
    for alice in _client(narrowed, database, scales, clock):
        response = alice.post("/devices/1/test")
        assert response.status_code == 409
        assert response.json()["detail"].startswith("Весы localhost:1111: подключение запрещено: адрес ")
        assert response.json()["detail"].endswith(OUTSIDE)
    assert len(scales.params) == 1


def test_a_changed_setting_is_enforced_at_connect_time(
    settings: ScalesSettings, database: Database, scales: Scales, clock: FakeClock
) -> None:
    for alice in _client(settings, database, scales, clock):
        alice.add_device(ip="10.0.0.5")
        assert alice.post("/devices/1/test").status_code == 200
    for alice in _client(_with(settings, device_networks=["127.0.0.0/8"]), database, scales, clock):
        response = alice.post("/devices/1/test")
        assert (response.status_code, response.json()) == (
            409,
            {"detail": f"Весы 10.0.0.5:1111: подключение запрещено: адрес 10.0.0.5 {OUTSIDE}"},
        )
    assert [params.host for params in scales.params] == ["10.0.0.5"]


def test_the_default_networks_are_private_and_loopback(settings: ScalesSettings) -> None:
    assert [str(net) for net in settings.device_networks] == [
        "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "::1/128", "fc00::/7",
    ]  # fmt: skip
    assert settings.device_host_names is False


def test_a_host_stored_before_the_rules_is_refused_at_connect_time(
    settings: ScalesSettings, database: Database, scales: Scales, clock: FakeClock
) -> None:
    for alice in _client(_with(settings, device_host_names=True), database, scales, clock):
        alice.add_device()
        with database.session() as session:
            session.execute(text("UPDATE devices SET ip = 'a..b'"))
        response = alice.post("/devices/1/test")
        detail = "Весы a..b:1111: подключение запрещено: нужен IPv4- или IPv6-адрес или имя хоста (RFC 1123)"
        assert (response.status_code, response.json()) == (409, {"detail": detail})
    assert scales.params == []
