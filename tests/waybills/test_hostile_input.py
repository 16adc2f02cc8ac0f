"""Waybills under hostile input: body limit (413 in DRF's envelope, chunked too, bounded memory) and core's
input rules in DRF's `{field: [messages]}` (NUL, lone surrogates, digits of other scripts, deep JSON)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from opsuite.waybills import messages
from tests.live import serve
from tests.memory import MiB, rss_growth
from tests.waybills.helpers import Api

TOO_LARGE = {"detail": "Тело запроса больше допустимого размера (1048576 байт)."}
JSON_HEADERS = {"content-type": "application/json"}


def test_a_login_body_over_the_limit_is_413(client: Any) -> None:
    body = json.dumps({"login": "admin", "password": "x" * MiB}).encode()
    response = client.post("/api/auth/login/", content=body, headers=JSON_HEADERS)
    assert (response.status_code, response.json()) == (413, TOO_LARGE)


def _login_stream(size: int) -> Iterator[bytes]:
    yield b'{"login": "admin", "password": "'
    block = b"x" * MiB
    for _ in range(size // MiB):
        yield block
    yield b'"}'


def test_a_chunked_login_of_100_mb_is_413_with_bounded_memory(app: Any) -> None:
    with serve(app) as base, httpx.Client(base_url=base, timeout=60) as client:
        request = client.build_request(
            "POST", "/api/auth/login/", content=_login_stream(100 * MiB), headers=JSON_HEADERS
        )
        assert "content-length" not in request.headers
        with rss_growth() as growth:
            response = client.send(request)
        assert (response.status_code, response.json()) == (413, TOO_LARGE)
    # Holding the body would cost 100 MB or more; the bound leaves room for interpreter noise.
    assert growth.bytes < 40 * MiB, f"RSS grew by {growth.bytes / MiB:.1f} MiB"


@pytest.mark.parametrize(
    ("login", "message"),
    [("adm\\u0000in", "Нулевые символы не допускаются."), ("\\ud800", "Введите корректное значение.")],
)
def test_login_with_bad_text_is_400_for_the_field(client: Any, login: str, message: str) -> None:
    raw = '{"login": "' + login + '", "password": "admin-pass-1"}'
    response = client.post("/api/auth/login/", content=raw, headers=JSON_HEADERS)
    assert (response.status_code, response.json()) == (400, {"login": [message]})


def test_a_phone_in_arabic_indic_digits_is_refused(api: Api) -> None:
    n = "٩٠٠١٢٣٤٥٦٧"
    response = api.post(
        "users/",
        {"name": "И", "surname": "Т", "last_name": "И", "login": "arabic", "password": "pass12345",
         "phone": f"+7{n}", "role": 3},
    )  # fmt: skip
    assert (response.status_code, response.json()) == (400, {"phone": [messages.PHONE_FORMAT]})


def test_fuel_in_full_width_digits_is_refused(api: Api) -> None:
    car = api.car()
    body = {"car": car["id"], "odometer": 100, "fuel": "４０.０００", "date": "2024-09-01"}
    response = api.post("passenger-car-odometer-fuel/", body)
    assert response.status_code == 400
    assert response.json() == {"fuel": ["Требуется численное значение, записанное цифрами 0-9."]}
    assert api.get("passenger-car-odometer-fuel/").json() == []


def test_json_nested_2000_deep_is_400_in_russian(api: Api) -> None:
    response = api.post("roles/", content="[" * 2000 + "]" * 2000, headers=JSON_HEADERS)
    assert (response.status_code, response.json()) == (400, {"detail": messages.JSON_INVALID})
