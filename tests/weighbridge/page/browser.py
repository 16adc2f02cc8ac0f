"""What the page tests do in the browser again and again: log in, read the stored token."""

from __future__ import annotations

from playwright.sync_api import Page


def log_in(page: Page, site: str, phone: str, password: str) -> None:
    """Open the page and submit the login form."""
    page.goto(site + "/")
    page.fill("#login-phone", phone)
    page.fill("#login-password", password)
    page.click("#login-submit")


def token_of(page: Page) -> str:
    """The token the page keeps after a login."""
    return str(page.evaluate("localStorage.getItem('weighbridge.token')"))


def bearer(page: Page) -> dict[str, str]:
    """Headers that call the API as the page's user."""
    return {"Authorization": f"Bearer {token_of(page)}"}
