"""The settings page in chromium: the administrator changes keys (only those go in the PUT), an operator reads."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import Page, expect

from tests.weighbridge.helpers import ADMIN, OPERATOR
from tests.weighbridge.page.browser import bearer, log_in


def field(page: Page, key: str) -> Any:
    return page.locator(f"#settings-fields input[data-path='{key}']")


def test_the_administrator_changes_two_settings(page: Page, site: str) -> None:
    log_in(page, site, *ADMIN)
    page.click("button.nav[data-view=settings]")
    expect(field(page, "gate_close_timeout")).to_have_value("8000")
    label = page.locator("#settings-fields label", has=page.locator("input[data-path='gate_close_timeout']"))
    expect(label).to_have_text("Автозакрытие шлагбаума, мс")
    expect(field(page, "camera_password")).to_have_value("**********")
    sent: list[Any] = []
    page.on(
        "request", lambda request: sent.append(request.post_data_json) if request.method == "PUT" else None
    )
    field(page, "gate_close_timeout").fill("10000")
    field(page, "camera_in_ip").fill("192.168.1.64")
    page.click("#settings-save")
    expect(page.locator("#settings-message")).to_have_text("Настройки сохранены и применены")
    assert sent == [{"gate_close_timeout": 10000, "camera_in_ip": "192.168.1.64"}]
    saved = httpx.get(site + "/api/v1/settings", headers=bearer(page)).json()
    assert (saved["gate_close_timeout"], saved["camera_in_ip"], saved["camera_password"]) == (
        10000,
        "192.168.1.64",
        "**********",
    )
    expect(field(page, "gate_close_timeout")).to_have_value("10000")
    page.click("#settings-save")
    expect(page.locator("#settings-message")).to_have_text("Изменений нет")


def test_a_refused_setting_shows_the_servers_reason(page: Page, site: str) -> None:
    log_in(page, site, *ADMIN)
    page.click("button.nav[data-view=settings]")
    field(page, "camera_in_ip").fill("not a host!")
    page.click("#settings-save")
    message = page.locator("#settings-message")
    expect(message).to_have_class("error")
    expect(message).to_contain_text("camera_in_ip")
    expect(message).to_contain_text("адрес камеры: ожидается IP-адрес или имя хоста")


def test_an_operator_reads_the_settings_without_changing_them(page: Page, site: str) -> None:
    log_in(page, site, *OPERATOR)
    page.click("button.nav[data-view=settings]")
    expect(field(page, "scale_port")).to_be_disabled()
    expect(page.locator("#settings-save")).to_be_hidden()
    expect(page.locator("#settings-message")).to_have_text("Изменять настройки может только администратор")
