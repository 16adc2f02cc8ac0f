"""A headless Debian chromium driven by Playwright, shared by the page tests of one run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.live import serve

CHROMIUM = Path(os.environ.get("OPSUITE_TEST_CHROMIUM", "/usr/bin/chromium"))


def chromium_path() -> Path:
    """The chromium to drive; skip when it is missing, fail instead under CI or OPSUITE_REQUIRE_SERVICES=1."""
    if CHROMIUM.exists():
        return CHROMIUM
    reason = f"{CHROMIUM} is missing (apt-get install chromium)"
    if os.environ.get("OPSUITE_REQUIRE_SERVICES") == "1" or os.environ.get("CI"):
        pytest.fail(f"{reason} but this run requires it", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless chromium per test module: sync Playwright keeps an event loop running in the main
    thread while it is open, so it must close before tests of other modules call `asyncio.run`."""
    executable = chromium_path()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(executable), args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no stored token) and its page; console errors are collected on it."""
    context = browser.new_context(accept_downloads=True, locale="ru-RU")
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.console_errors = errors  # type: ignore[attr-defined]
    yield opened
    context.close()


@pytest.fixture
def site(app: Any) -> Iterator[str]:
    """The weighbridge app (the system's `app` fixture) served on a free loopback port."""
    with serve(app) as url:
        yield url
