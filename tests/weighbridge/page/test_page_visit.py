"""A whole visit driven through the page in chromium, on the real app with its simulated site over sockets.

Log in, simulate a truck, watch the weight settle, confirm; the truck leaves, comes back lighter, the exit is
confirmed; the history shows the net and the Excel report has the visit. Waits are bounded and assert no speed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, WebSocketRoute, expect
from python_calamine import CalamineWorkbook

from opsuite.weighbridge.process.bridge import Bridge
from tests.live import serve
from tests.weighbridge.helpers import OPERATOR
from tests.weighbridge.page.browser import bearer, log_in
from tests.weighbridge.process import conftest as process
from tests.weighbridge.process.rig import eventually

T = "\u2009"  # the page's thousands separator
SETTLE_MS = 30_000
"""Bound on waiting for the simulated truck to drive on and settle: a wedged site fails, a slow one passes."""
QUICK = {"stable_duration_s": 0.3, "camera_probe_s": 1.0}

app = process.app
"""The fixture of the app owning its simulated site's devices, on the real clock."""


@pytest.fixture
def site(app: Any) -> Iterator[str]:
    """The app owning its simulated site's devices (process's `app`), served once they answer; settles in 0.3 s."""
    with serve(app) as url:
        bridge = app.state.runtime.bridge
        assert isinstance(bridge, Bridge)
        bridge.apply(bridge.config.merged(QUICK))
        eventually(lambda: all(bridge.status()[key] for key in ("controller", "scale_connection")))
        yield url


@pytest.fixture
def tashkent_page(browser: Browser) -> Iterator[Page]:
    """A page whose browser lives in the site's zone, so the reports modal's «today» is the site's day."""
    context = browser.new_context(accept_downloads=True, locale="ru-RU", timezone_id="Asia/Tashkent")
    yield context.new_page()
    context.close()


def weigh(page: Page, number: str, kg: int, shown: str) -> None:
    """Simulate `number` at `kg`, wait for the stable weight the page offers, and confirm it."""
    page.fill("#truck-number", number)
    page.fill("#sim-weight", str(kg))
    page.click("#simulate")
    expect(page.locator("#process-state")).to_have_text("Подтверждение", timeout=SETTLE_MS)
    expect(page.locator("#stability")).to_have_text("Стабильно")
    expect(page.locator("#weight")).to_have_text(shown)
    expect(page.locator("#confirm")).to_be_enabled()
    page.click("#confirm")
    expect(page.locator("#notice")).to_contain_text(f"Вес {shown} кг зафиксирован")
    expect(page.locator("#process-state")).to_have_text("Ожидание")


def test_a_whole_visit_through_the_page(tashkent_page: Page, site: str, tmp_path: Path) -> None:
    page = tashkent_page
    log_in(page, site, *OPERATOR)
    expect(page.locator("#link")).to_have_text("на связи", timeout=SETTLE_MS)
    expect(page.locator("#light-scale")).to_have_class("light ok")
    expect(page.locator("#light-controller")).to_have_class("light ok")
    expect(page.locator("#camera-1 img")).to_have_attribute("src", re.compile("^blob:"))
    expect(page.locator("#confirm")).to_be_disabled()

    weigh(page, "01A777AA", 32000, f"32{T}000")
    row = page.locator("#history tr").first
    expect(row.locator("td.number")).to_have_text("01A777AA")
    expect(row.locator("td.entrance")).to_have_text(f"32{T}000")
    expect(row.locator("td.status")).to_have_text("на территории")

    page.click("#sim-leave")
    expect(page.locator("#weight")).to_have_text("0", timeout=SETTLE_MS)

    weigh(page, "01A777AA", 14500, f"14{T}500")
    expect(page.locator("#history tr")).to_have_count(1)
    assert row.locator("td").all_inner_texts()[2:9] == [
        "—", f"32{T}000", f"14{T}500", f"14{T}500", f"32{T}000", f"17{T}500", "завершён",
    ]  # fmt: skip

    page.click("#reports-open")
    with page.expect_download() as download_info:
        page.click("#report-excel")
    saved = tmp_path / "report.xlsx"
    download_info.value.save_as(saved)
    rows = CalamineWorkbook.from_path(str(saved)).get_sheet_by_index(0).to_python()
    visit = [row for row in rows if len(row) > 1 and row[1] == "01A777AA"]
    assert [line[3:8] for line in visit] == [[32000.0, 14500.0, 14500.0, 32000.0, 17500.0]]
    assert rows[-1][:2] == ["Итого", "машин: 1"]
    page.click("#reports-dialog button[value=close]")
    page.click("#sim-leave")


def test_the_page_stays_live_while_its_sockets_reconnect(page: Page, site: str) -> None:
    refusing = False
    accepted: list[WebSocketRoute] = []

    def route(socket: WebSocketRoute) -> None:
        if refusing:
            socket.close(code=4000, reason="сервер недоступен")
            return
        socket.connect_to_server()
        accepted.append(socket)

    page.route_web_socket(re.compile(r"/api/v1/(process|hardware)/ws"), route)
    log_in(page, site, *OPERATOR)
    expect(page.locator("#link")).to_have_text("на связи", timeout=SETTLE_MS)
    expect(page.locator("#faults")).to_be_hidden()

    refusing = True
    for socket in accepted:
        socket.close(code=4000, reason="обрыв")
    expect(page.locator("#link")).to_contain_text("нет связи")
    expect(page.locator("#faults")).to_have_text("Нет связи с сервером: данные могут быть устаревшими")
    expect(page.locator("#confirm")).to_be_disabled()
    expect(page.locator("#weight")).to_have_class("weight stale")  # polled from /hardware/scales/current
    expect(page.locator("#weight")).to_have_text("0")

    refusing = False
    expect(page.locator("#link")).to_have_text("на связи", timeout=SETTLE_MS)
    expect(page.locator("#faults")).to_be_hidden()
    expect(page.locator("#weight")).to_have_class("weight")
    assert len(accepted) >= 4  # both sockets came back


def test_device_faults_show_plainly(page: Page, site: str) -> None:
    log_in(page, site, *OPERATOR)
    expect(page.locator("#light-scale")).to_have_class("light ok", timeout=SETTLE_MS)

    def fault(device: str, kind: str) -> None:
        answer = httpx.post(
            site + "/api/v1/simulator/fault", json={"device": device, "fault": kind}, headers=bearer(page)
        )
        assert answer.status_code == 200, answer.text

    fault("indicator", "silent")
    expect(page.locator("#light-scale")).to_have_class("light bad", timeout=SETTLE_MS)
    expect(page.locator("#faults")).to_have_text("Весы: нет связи с весовым терминалом")
    fault("modbus", "silent")
    expect(page.locator("#faults")).to_have_text(
        "Весы: нет связи с весовым терминаломКонтроллер: нет связи (шлагбаумы и датчики)", timeout=SETTLE_MS
    )
    expect(page.locator("#link")).to_have_text("на связи")  # the server is fine; its devices are not

    fault("indicator", "none")
    fault("modbus", "none")
    expect(page.locator("#faults")).to_be_hidden(timeout=SETTLE_MS)
    expect(page.locator("#light-controller")).to_have_class("light ok")
