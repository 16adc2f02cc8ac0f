"""The journal, the visit dialog and the reports modal in chromium, on the demo visits of the real app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect
from python_calamine import CalamineWorkbook

from opsuite.core.db import Database
from opsuite.weighbridge import demo
from tests.live import serve
from tests.weighbridge.conftest import START
from tests.weighbridge.helpers import OPERATOR
from tests.weighbridge.page.browser import bearer, log_in

T = "\u2009"  # the page's thousands separator
ROWS = [
    ["4", "30C555DE", "Qum", f"13{T}050", "—", "—", "—", "—", "на территории", "01.02.2026 10:00", "удалить"],
    ["3", "01 123 ABC", "Sement", f"11{T}900", f"27{T}400", f"11{T}900", f"27{T}400", f"15{T}500", "завершён", "01.02.2026 08:30", ""],
    ["2", "10B123CD", "Karbamid", f"31{T}800", f"12{T}950", f"12{T}950", f"31{T}800", f"18{T}850", "завершён", "01.02.2026 07:30", ""],
    ["1", "01A777AA", "Ko'mir", f"14{T}200", f"38{T}650", f"14{T}200", f"38{T}650", f"24{T}450", "завершён", "01.02.2026 05:30", ""],
]  # fmt: skip


@pytest.fixture
def site(app: Any, database: Database) -> Iterator[str]:
    """The app with the demo visits (made 5, 3, 2 and 0.5 hours before 10:30 in Tashkent, 1 February)."""
    with database.session() as session:
        demo.load(session, now=START)
    with serve(app) as url:
        yield url


def history(page: Page) -> list[list[str]]:
    return [row.locator("td").all_inner_texts() for row in page.locator("#history tr").all()]


def test_the_history_computes_tare_gross_and_net_and_filters(page: Page, site: str) -> None:
    log_in(page, site, *OPERATOR)
    expect(page.locator("#history tr")).to_have_count(4)
    assert history(page) == ROWS
    page.select_option("#history-filter", "false")
    expect(page.locator("#history tr")).to_have_count(1)
    assert history(page) == ROWS[:1]
    page.select_option("#history-filter", "true")
    expect(page.locator("#history tr")).to_have_count(3)
    assert history(page) == ROWS[1:]


def test_a_visit_is_corrected_and_deleted_from_the_page(page: Page, site: str) -> None:
    log_in(page, site, *OPERATOR)
    expect(page.locator("#history tr")).to_have_count(4)
    page.click("#history tr[data-truck-id='4'] td.number")
    dialog = page.locator("#truck-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#truck-edit-number")).to_have_value("30C555DE")
    assert page.locator("#truck-actions td").all_inner_texts() == [
        "Въезд",
        f"13{T}050",
        "01.02.2026 10:02",
        "",
    ]
    page.fill("#truck-edit-number", "30C556DE")
    page.select_option("#truck-edit-product", label="Karbamid")
    page.click("#truck-save")
    expect(page.locator("#truck-message")).to_have_text("Сохранено")
    page.click("#truck-dialog button[value=close]")
    expect(page.locator("#history tr[data-truck-id='4'] td.number")).to_have_text("30C556DE")
    expect(page.locator("#history tr[data-truck-id='4'] td.product")).to_have_text("Karbamid")

    page.once("dialog", lambda confirm: confirm.accept())
    page.click("#history tr[data-truck-id='4'] button")
    expect(page.locator("#notice")).to_have_text("Запись #4 удалена")
    expect(page.locator("#history tr")).to_have_count(3)
    left = httpx.get(site + "/api/v1/trucks", headers=bearer(page)).json()
    assert [truck["id"] for truck in left] == [3, 2, 1]


def test_the_reports_modal_shows_the_summary_and_downloads_the_excel(
    page: Page, site: str, tmp_path: Path
) -> None:
    log_in(page, site, *OPERATOR)
    page.click("#reports-open")
    page.fill("#report-from", "2026-02-01")
    page.fill("#report-to", "2026-02-01")
    page.click("#report-summary")
    expect(page.locator("#summary")).to_have_text(f"Машин4Вес на въезде, кг70{T}950Вес на выезде, кг79{T}000")

    with page.expect_download() as download_info:
        page.click("#report-excel")
    download = download_info.value
    assert download.suggested_filename == "weighings_2026-02-01_2026-02-01.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes()[:2] == b"PK"
    rows = CalamineWorkbook.from_path(str(saved)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == "Журнал взвешиваний 01.02.2026 — 01.02.2026"
    by_number = {row[1]: row for row in rows[3:-1]}
    assert sorted(by_number) == ["01 123 ABC", "01A777AA", "10B123CD", "30C555DE"]
    assert by_number["01A777AA"][3:8] == [14200.0, 38650.0, 14200.0, 38650.0, 24450.0]
    assert rows[-1][:8] == ["Итого", "машин: 4", "", 70950.0, 79000.0, 39050.0, 97850.0, 58800.0]
    expect(page.locator("#report-message")).to_have_text("Файл weighings_2026-02-01_2026-02-01.xlsx скачан")


def test_a_backward_period_is_refused_before_asking(page: Page, site: str) -> None:
    log_in(page, site, *OPERATOR)
    page.click("#reports-open")
    page.fill("#report-from", "2026-02-02")
    page.fill("#report-to", "2026-02-01")
    page.click("#report-summary")
    expect(page.locator("#report-message")).to_have_text("Дата «с» позже даты «по»")
