"""The page's pure helpers, run in chromium from the file the page ships (`/page/logic.js`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from playwright.sync_api import Page

from opsuite.weighbridge.page.router import router
from tests.live import serve


@pytest.fixture(scope="module")
def page_url() -> Iterator[str]:
    app = FastAPI()
    app.include_router(router)
    with serve(app) as url:
        yield url


@pytest.fixture
def logic(page: Page, page_url: str) -> Page:
    page.goto(page_url + "/")
    page.wait_for_selector("#login-form", state="visible")
    return page


def call(page: Page, name: str, *args: Any) -> Any:
    """`name(*args)` from logic.js, evaluated in the browser."""
    return page.evaluate(
        "async ([name, args]) => (await import('/page/logic.js'))[name](...args)", [name, list(args)]
    )


def test_without_a_token_the_page_asks_to_log_in(logic: Page) -> None:
    assert logic.is_visible("#login-phone")
    assert logic.is_hidden("#app-view")
    assert logic.title() == "Весовая — рабочее место оператора"
    assert logic.console_errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (24500, "24\u2009500"),
        (24500.0, "24\u2009500"),
        (1234567.25, "1\u2009234\u2009567,3"),
        (-120, "−120"),
        (0, "0"),
        (None, "—"),
    ],
)
def test_format_kg(logic: Page, value: float | None, shown: str) -> None:
    assert call(logic, "formatKg", value) == shown


def test_visit_weights_net_is_gross_minus_tare_whichever_pass_is_heavier(logic: Page) -> None:
    loaded_in = [{"action_type": "ENTRANCE", "weight": 10000.0}, {"action_type": "EXIT", "weight": 25000.0}]
    assert call(logic, "visitWeights", loaded_in) == {
        "entrance": 10000,
        "exit": 25000,
        "tare": 10000,
        "gross": 25000,
        "net": 15000,
    }
    delivered = [{"action_type": "EXIT", "weight": 14020.0}, {"action_type": "ENTRANCE", "weight": 31500.5}]
    assert call(logic, "visitWeights", delivered) == {
        "entrance": 31500.5,
        "exit": 14020,
        "tare": 14020,
        "gross": 31500.5,
        "net": 17480.5,
    }
    assert call(logic, "visitWeights", [{"action_type": "ENTRANCE", "weight": 9000}]) == {
        "entrance": 9000,
        "exit": None,
        "tare": None,
        "gross": None,
        "net": None,
    }
    assert call(logic, "visitWeights", []) == {
        "entrance": None,
        "exit": None,
        "tare": None,
        "gross": None,
        "net": None,
    }


def test_confirm_only_in_confirmation_on_a_stable_weight_of_a_named_truck(logic: Page) -> None:
    ready = {"scale_status": "CONFIRMATION", "is_stable": True, "truck_id": 7}
    assert call(logic, "canConfirm", ready) is True
    assert call(logic, "canConfirm", {**ready, "is_stable": False}) is False
    assert call(logic, "canConfirm", {**ready, "scale_status": "WEIGHING"}) is False
    assert call(logic, "canConfirm", {**ready, "truck_id": None}) is False
    assert call(logic, "canConfirm", None) is False


def test_backoff_doubles_from_half_a_second_to_ten(logic: Page) -> None:
    assert [call(logic, "backoffDelay", attempt) for attempt in range(7)] == [
        500,
        1000,
        2000,
        4000,
        8000,
        10000,
        10000,
    ]


def test_socket_url_follows_the_page_scheme_and_escapes_the_token(logic: Page) -> None:
    http = {"protocol": "http:", "host": "bridge.local:8001"}
    https = {"protocol": "https:", "host": "bridge.example"}
    assert call(logic, "socketUrl", http, "/api/v1/process/ws", "a b+c") == (
        "ws://bridge.local:8001/api/v1/process/ws?token=a%20b%2Bc"
    )
    assert (
        call(logic, "socketUrl", https, "/api/v1/hardware/ws", "t")
        == "wss://bridge.example/api/v1/hardware/ws?token=t"
    )


def test_error_text_reads_every_envelope(logic: Page) -> None:
    assert call(logic, "errorText", {"detail": "Вес не стабилен"}, 409) == "Вес не стабилен"
    validation = {
        "detail": [{"loc": ["body", "gate_close_timeout"], "msg": "Input should be a valid integer"}]
    }
    assert call(logic, "errorText", validation, 422) == "gate_close_timeout: Input should be a valid integer"
    assert call(logic, "errorText", {"message": "Контроллер недоступен"}, 503) == "Контроллер недоступен"
    assert call(logic, "errorText", {"error": {"message": "занято"}}, 409) == "занято"
    assert call(logic, "errorText", "", 502) == "Ошибка 502"
    assert call(logic, "errorText", None, 0) == "Нет связи с сервером"


def test_device_faults_are_plain_russian_lines(logic: Page) -> None:
    healthy = {"controller": True, "scale_connection": True, "camera_1": True, "camera_2": True}
    assert call(logic, "deviceFaults", healthy) == []
    assert call(logic, "deviceFaults", {**healthy, "scale_connection": False, "camera_2": False}) == [
        "Весы: нет связи с весовым терминалом",
        "Камера 2 (выезд): недоступна",
    ]
    assert call(logic, "deviceFaults", {**healthy, "controller": False}) == [
        "Контроллер: нет связи (шлагбаумы и датчики)"
    ]


def test_changed_settings_is_the_partial_body(logic: Page) -> None:
    loaded = {
        "camera_in_ip": "192.168.1.63",
        "gate_close_timeout": 8000,
        "scale": {"port": "/dev/ttyUSB0", "baud": 9600},
    }
    edited = {
        "camera_in_ip": "192.168.1.64",
        "gate_close_timeout": 8000,
        "scale": {"port": "/dev/ttyUSB0", "baud": 4800},
    }
    assert call(logic, "changedSettings", loaded, edited) == {
        "camera_in_ip": "192.168.1.64",
        "scale": {"baud": 4800},
    }
    assert call(logic, "changedSettings", loaded, loaded) == {}


def test_parse_setting_keeps_the_loaded_type(logic: Page) -> None:
    assert call(logic, "parseSetting", "10000", 8000) == 10000
    assert call(logic, "parseSetting", "0,5", 1.5) == 0.5
    assert call(logic, "parseSetting", "десять", 8000) == "десять"
    assert call(logic, "parseSetting", "", None) is None
    assert call(logic, "parseSetting", "[1, 2]", [0]) == [1, 2]
    assert call(logic, "parseSetting", "socket://127.0.0.1:4001", "/dev/ttyUSB0") == "socket://127.0.0.1:4001"


def test_dates_and_times(logic: Page) -> None:
    assert (
        logic.evaluate("async () => (await import('/page/logic.js')).isoDate(new Date(2026, 1, 3, 23, 59))")
        == "2026-02-03"
    )
    assert call(logic, "formatTime", "2026-02-01T10:30:00") == "01.02.2026 10:30"
    assert call(logic, "formatTime", None) == "—"
    assert call(logic, "statusLabel", "CONFIRMATION") == "Подтверждение"
    assert call(logic, "statusLabel", "LATER") == "LATER"
