"""One hostile cell fails its own row, with its message; the other rows of the chunk are imported."""

from __future__ import annotations

import csv
import io
from typing import Any

from opsuite.production.exports.service import COLUMNS
from tests.production.helpers import Api

HEADER = list(COLUMNS[:12])  # the export's columns, in order, up to `products`
GOOD = {
    "batch_date": "2025-02-01",
    "nomenclature": "Молоко 1 л",
    "ekn_code": "EKN-100",
    "shift": "1",
    "team": "Бригада А",
    "task_description": "Розлив",
    "shift_start": "2025-02-01T08:00:00Z",
    "shift_end": "2025-02-01T20:00:00Z",
    "work_center_identifier": "WC-1",
    "work_center_name": "Цех 1",
    "products": "",
}
BRACKETS = "[" * 50_000 + "]" * 50_000


def _csv(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=HEADER)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _import(api: Api, content: bytes) -> dict[str, Any]:
    accepted = api.call("POST", "/api/batches/import", 202, files={"file": ("rows.csv", content)})
    api.wait_jobs()
    return api.call("GET", f"/api/background_tasks/{accepted['task_id']}", 200)


def test_bad_cells_fail_their_rows_and_the_rest_is_imported(api: Api) -> None:
    rows = [
        {**GOOD, "batch_number": "1"},
        {**GOOD, "batch_number": "2", "products": BRACKETS},
        {**GOOD, "batch_number": "1e20"},
        {**GOOD, "batch_number": "3", "shift_start": "0001-01-01T00:00:00+03:00"},
        {**GOOD, "batch_number": "4", "shift_end": "9999-12-31T23:00:00-05:00"},
        {**GOOD, "batch_number": "5", "batch_date": "0001-01-01"},
        {**GOOD, "batch_number": "6"},
    ]

    status = _import(api, _csv(rows))

    assert status["status"] == "SUCCESS"
    result = status["result"]
    assert {key: result[key] for key in ("success", "total", "created", "updated", "failed")} == {
        "success": False,
        "total": 7,
        "created": 3,
        "updated": 0,
        "failed": 4,
    }
    assert result["errors"] == [
        {"row": 3, "error": f"Неверный формат products: {'[' * 100}"},
        {"row": 4, "error": "Число 1e20 вне допустимого диапазона (до 2147483647)"},
        {"row": 5, "error": "Дата вне допустимого диапазона: 0001-01-01T00:00:00+03:00"},
        {"row": 6, "error": "Дата вне допустимого диапазона: 9999-12-31T23:00:00-05:00"},
    ]
    numbers = {batch["batch_number"] for batch in api.call("GET", "/api/batches", 200)["items"]}
    assert numbers == {1, 5, 6}


def test_an_overlong_cell_message_is_cut(api: Api) -> None:
    status = _import(api, _csv([{**GOOD, "batch_number": "1", "batch_date": "x" * 100_000}]))

    assert status["result"]["errors"] == [{"row": 2, "error": "Неверный формат даты: " + "x" * 278}]
