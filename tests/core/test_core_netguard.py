"""The outbound address guard: refused ranges, numeric forms, one resolution checked whole, the guarded client."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterator

import pytest
from tests.production.webhook_receiver import FakeDns, Receiver

from opsuite.core.guarded_http import guarded_client
from opsuite.core.netguard import AddressPolicy, AddressRefused, check_url, literal_address, resolve

STRICT = AddressPolicy()
LOOPBACK = AddressPolicy.of(allowed=["127.0.0.0/8"])


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("192.0.2.10", "reserved"),
        ("fec0::1", "reserved"),
        ("10.1.2.3", "private"),
        ("172.31.255.1", "private"),
        ("192.168.1.1", "private"),
        ("100.64.0.1", "private"),
        ("fd12::1", "private"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:169.254.169.254", "link-local"),
        ("64:ff9b::7f00:1", "loopback"),
        ("2002:a9fe:a9fe::1", "link-local"),
        ("93.184.216.34", None),
        ("2606:4700:4700::1111", None),
    ],
)
def test_the_default_policy_refuses_every_non_global_address(address: str, reason: str | None) -> None:
    assert STRICT.refusal(ipaddress.ip_address(address)) == reason


def test_allow_private_opens_site_networks_only() -> None:
    policy = AddressPolicy(allow_private=True)
    refused = {
        address: policy.refusal(ipaddress.ip_address(address))
        for address in ("10.1.2.3", "fd12::1", "100.64.0.1", "127.0.0.1", "169.254.169.254", "0.0.0.0")
    }
    assert refused == {
        "10.1.2.3": None,
        "fd12::1": None,
        "100.64.0.1": None,
        "127.0.0.1": "loopback",
        "169.254.169.254": "link-local",
        "0.0.0.0": "unspecified",
    }


def test_listed_networks_open_exactly_themselves() -> None:
    policy = AddressPolicy.of(allowed=["127.0.0.1", "10.20.0.0/16"])
    assert policy.refusal(ipaddress.ip_address("127.0.0.1")) is None
    assert policy.refusal(ipaddress.ip_address("127.0.0.2")) == "loopback"
    assert policy.refusal(ipaddress.ip_address("10.20.3.4")) is None
    assert policy.refusal(ipaddress.ip_address("10.21.3.4")) == "private"


@pytest.mark.parametrize(
    "host",
    ["2130706433", "0x7f000001", "0177.0.0.1", "0x7f.0.0.1", "127.1", "127.0.0.01", "1.2.3.4.5", "a.0x1"],
)
def test_numeric_hosts_in_other_forms_are_refused(host: str) -> None:
    with pytest.raises(AddressRefused) as refused:
        literal_address(host)
    assert refused.value.reason == "numeric-form"


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("93.184.216.34", "93.184.216.34"),
        ("[::1]", "::1"),
        ("::ffff:7f00:1", "::ffff:7f00:1"),
        ("example.com", None),
        ("1e100.net", None),
    ],
)
def test_literal_addresses_in_canonical_form(host: str, expected: str | None) -> None:
    address = literal_address(host)
    assert (None if address is None else str(address)) == expected


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://user:pw@example.com/hook", "credentials"),
        ("http://user@example.com/hook", "credentials"),
        ("http://@example.com/hook", "credentials"),
        ("http://127.0.0.1:8005/api/", "loopback"),
        ("http://[::1]/", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://2130706433/", "numeric-form"),
        ("http://0x7f.1/", "numeric-form"),
        ("http://localhost:8003/api/webhooks/test", "loopback"),
        ("http://api.localhost/", "loopback"),
        ("http://10.0.0.5/", "private"),
    ],
)
def test_check_url_refuses_without_resolving(url: str, reason: str) -> None:
    with pytest.raises(AddressRefused) as refused:
        check_url(url, STRICT)
    assert refused.value.reason == reason


def test_check_url_lets_names_and_public_literals_through() -> None:
    check_url("https://hooks.example.com/in", STRICT)
    check_url("http://93.184.216.34:8080/in", STRICT)
    check_url("http://localhost:8003/in", LOOPBACK)


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> FakeDns:
    """Scripted name answers."""
    fake = FakeDns()
    monkeypatch.setattr(socket, "getaddrinfo", fake.getaddrinfo)
    return fake


def test_every_resolved_address_is_checked(dns: FakeDns) -> None:
    dns.answers["mixed.example"] = ["93.184.216.34", "127.0.0.1"]
    dns.answers["public.example"] = ["93.184.216.34", "2606:4700:4700::1111"]
    with pytest.raises(AddressRefused) as refused:
        asyncio.run(resolve("mixed.example", 80, STRICT))
    assert (refused.value.reason, str(refused.value.address)) == ("loopback", "127.0.0.1")
    addresses = asyncio.run(resolve("public.example", 80, STRICT))
    assert [str(address) for address in addresses] == ["93.184.216.34", "2606:4700:4700::1111"]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver().running() as running:
        yield running


def post(policy: AddressPolicy, url: str) -> int:
    async def run() -> int:
        async with guarded_client(policy) as client:
            response = await client.post(url, content=b"{}", timeout=5)
            return response.status_code

    return asyncio.run(run())


def test_the_guarded_client_refuses_a_loopback_target(receiver: Receiver) -> None:
    with pytest.raises(AddressRefused) as refused:
        post(STRICT, receiver.url + "/hook")
    assert refused.value.reason == "loopback"
    assert receiver.requests == []


def test_the_guarded_client_checks_the_address_a_name_resolves_to(receiver: Receiver, dns: FakeDns) -> None:
    dns.answers["rebound.example"] = ["127.0.0.1"]
    port = receiver.url.rsplit(":", 1)[1]
    with pytest.raises(AddressRefused) as refused:
        post(STRICT, f"http://rebound.example:{port}/hook")
    assert (refused.value.reason, str(refused.value.address)) == ("loopback", "127.0.0.1")
    assert receiver.requests == []


def test_the_guarded_client_connects_to_the_checked_address_keeping_the_host(
    receiver: Receiver, dns: FakeDns
) -> None:
    dns.answers["hook.example"] = ["127.0.0.1"]
    port = receiver.url.rsplit(":", 1)[1]
    assert post(LOOPBACK, f"http://hook.example:{port}/hook") == 200
    [request] = receiver.requests
    assert (request.path, request.headers["Host"]) == ("/hook", f"hook.example:{port}")
    assert dns.asked == ["hook.example"]  # resolved once: the connection used the checked answer
