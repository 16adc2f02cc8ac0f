"""The page against the real weighbridge app in chromium: login, profile, password change, user creation."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page, expect

from tests.weighbridge.helpers import ADMIN, OPERATOR
from tests.weighbridge.page.browser import bearer, log_in, token_of


def test_a_wrong_password_is_refused_in_russian(page: Page, site: str) -> None:
    log_in(page, site, ADMIN[0], "not-the-password")
    expect(page.locator("#login-error")).to_have_text("Неверный телефон или пароль")
    expect(page.locator("#app-view")).to_be_hidden()


def test_login_shows_the_operator_and_survives_a_reload(page: Page, site: str) -> None:
    log_in(page, site, OPERATOR[0], OPERATOR[1])
    expect(page.locator("#whoami")).to_have_text(OPERATOR[0])
    page.reload()
    expect(page.locator("#whoami")).to_have_text(OPERATOR[0])
    page.click("button.nav[data-view=profile]")
    expect(page.locator("#profile")).to_have_text(f"Телефон{OPERATOR[0]}РольоператорАктивендаВесы—")
    expect(page.locator("#user-form")).to_be_hidden()
    page.click("#logout")
    expect(page.locator("#login-form")).to_be_visible()
    page.reload()
    expect(page.locator("#login-form")).to_be_visible()


def test_a_stored_token_the_server_refuses_leads_back_to_login(page: Page, site: str) -> None:
    page.goto(site + "/")
    page.evaluate("localStorage.setItem('weighbridge.token', 'forged.token.value')")
    page.reload()
    expect(page.locator("#login-form")).to_be_visible()
    assert page.evaluate("localStorage.getItem('weighbridge.token')") is None


def test_password_change_ends_the_session_and_the_new_password_works(page: Page, site: str) -> None:
    log_in(page, site, OPERATOR[0], OPERATOR[1])
    expect(page.locator("#whoami")).to_have_text(OPERATOR[0])
    old_token = token_of(page)
    page.click("button.nav[data-view=profile]")

    page.fill("#old-password", OPERATOR[1])
    page.fill("#new-password", "new-operator-pass-2")
    page.fill("#new-password-2", "typo-operator-pass-2")
    page.click("#password-form button[type=submit]")
    expect(page.locator("#password-message")).to_have_text("Новые пароли не совпадают")

    page.fill("#new-password-2", "new-operator-pass-2")
    page.click("#password-form button[type=submit]")
    expect(page.locator("#login-error")).to_have_text("Пароль изменён. Войдите с новым паролем")
    refused = httpx.get(site + "/api/v1/users/me", headers={"Authorization": f"Bearer {old_token}"})
    assert refused.status_code == 401

    log_in(page, site, OPERATOR[0], "new-operator-pass-2")
    expect(page.locator("#whoami")).to_have_text(OPERATOR[0])


def test_a_wrong_old_password_shows_the_servers_reason(page: Page, site: str) -> None:
    log_in(page, site, OPERATOR[0], OPERATOR[1])
    page.click("button.nav[data-view=profile]")
    page.fill("#old-password", "not-my-password")
    page.fill("#new-password", "new-operator-pass-2")
    page.fill("#new-password-2", "new-operator-pass-2")
    page.click("#password-form button[type=submit]")
    message = page.locator("#password-message")
    expect(message).to_have_class("error")
    reason = httpx.post(
        site + "/api/v1/users/change-password",
        json={"old_password": "not-my-password", "new_password": "new-operator-pass-2"},
        headers=bearer(page),
    )
    assert reason.status_code == 400
    expect(message).to_have_text(reason.json()["detail"])


def test_the_administrator_adds_an_employee_who_can_log_in(page: Page, site: str) -> None:
    log_in(page, site, ADMIN[0], ADMIN[1])
    page.click("button.nav[data-view=profile]")
    expect(page.locator("#profile")).to_contain_text("Рольадминистратор")
    page.fill("#user-phone", "+998907654321")
    page.fill("#user-password", "weigher-pass-3")
    page.click("#user-form button[type=submit]")
    expect(page.locator("#user-message")).to_have_text("Сотрудник +998907654321 создан")
    page.click("#logout")
    log_in(page, site, "+998907654321", "weigher-pass-3")
    expect(page.locator("#whoami")).to_have_text("+998907654321")


def test_a_product_added_from_the_list_is_chosen(page: Page, site: str) -> None:
    log_in(page, site, OPERATOR[0], OPERATOR[1])
    expect(page.locator("#product option")).to_have_count(2)  # «не выбран» and «Добавить…»
    page.once("dialog", lambda dialog: dialog.accept("Karbamid"))
    page.select_option("#product", "__add")
    expect(page.locator("#product option:checked")).to_have_text("Karbamid")
    expect(page.locator("#product option")).to_have_text(["— не выбран —", "Karbamid", "Добавить…"])
    products = httpx.get(site + "/api/v1/products", headers=bearer(page)).json()
    assert [product["name"] for product in products] == ["Karbamid"]
    assert page.locator("#product").input_value() == str(products[0]["id"])
