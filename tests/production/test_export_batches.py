"""Export: 202 answer, the job's file reopened with exact header and cells, CSV BOM, filters, progress."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from opsuite.core.jobs import TaskContext
from opsuite.production.exports.service import COLUMNS
from opsuite.production.jobs import service as tasks_service
from tests.production.helpers import Api

HEADER = [
    "batch_number",
    "batch_date",
    "nomenclature",
    "ekn_code",
    "shift",
    "team",
    "task_description",
    "shift_start",
    "shift_end",
    "work_center_identifier",
    "work_center_name",
    "products",
    "uuid",
    "created_at",
    "updated_at",
    "is_closed",
    "closed_at",
]


def _export(api: Api, fmt: str, params: dict[str, str] | None = None, **kwargs: Any) -> dict[str, Any]:
    accepted = api.call(
        "POST", "/api/batches/export", 202, params={"format": fmt, **(params or {})}, **kwargs
    )
    assert accepted["status"] == "PENDING"
    assert accepted["message"] == "Export task started"
    api.wait_jobs()
    return api.call("GET", f"/api/background_tasks/{accepted['task_id']}", 200)


def _seed(api: Api) -> tuple[dict[str, Any], dict[str, Any]]:
    center = api.work_center()
    first = api.batch(center["uuid"])
    api.add_product(first["uuid"], "PROD-001")
    api.add_product(first["uuid"], "PROD-002")
    second = api.batch(
        center["uuid"], batch_number=1002, batch_date="2025-01-21", shift="2", team="Бригада Б"
    )
    api.call("PATCH", f"/api/batches/{second['uuid']}/close", 200, json={"closed_at": "2025-01-21T20:00:00Z"})
    return first, api.call("GET", f"/api/batches/{second['uuid']}", 200)


def _download(api: Api, url: str) -> bytes:
    response = api.client.get(url)
    assert response.status_code == 200, response.text
    return response.content


def test_xlsx_export_has_the_original_columns_and_exact_cells(api: Api) -> None:
    first, second = _seed(api)
    status = _export(api, "xlsx")
    assert status["status"] == "SUCCESS"
    result = status["result"]
    assert result["format"] == "xlsx"
    assert result["total"] == 2
    assert result["download_url"] == f"/api/reports/{result['file_id']}"
    assert list(COLUMNS) == HEADER

    content = _download(api, result["download_url"])
    assert content.startswith(b"PK\x03\x04")
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    assert workbook.sheet_names == ["Партии"]
    rows = workbook.get_sheet_by_index(0).to_python()
    assert rows[0] == HEADER
    assert len(rows) == 3
    products = [
        {
            "unique_code": p["unique_code"],
            "batch_id": first["uuid"],
            "is_aggregated": False,
            "aggregated_at": None,
            "uuid": p["uuid"],
            "created_at": "2025-01-15T10:30:00Z",
            "updated_at": None,
        }
        for p in api.call("GET", f"/api/batches/{first['uuid']}", 200)["products"]
    ]
    assert rows[1] == [
        1001.0,
        "2025-01-20",
        "Номенклатура товара",
        "EKN-001",
        "1",
        "Бригада А",
        "Описание задания",
        "2025-01-20T08:00:00Z",
        "2025-01-20T20:00:00Z",
        "WC-001",
        "Цех №1",
        json.dumps(products, ensure_ascii=False),
        first["uuid"],
        "2025-01-15T10:30:00Z",
        "2025-01-15T10:30:00Z",
        False,
        "",
    ]
    assert sorted(p["unique_code"] for p in json.loads(rows[1][11])) == ["PROD-001", "PROD-002"]
    assert rows[2][:7] == [
        1002.0,
        "2025-01-21",
        "Номенклатура товара",
        "EKN-001",
        "2",
        "Бригада Б",
        "Описание задания",
    ]
    assert rows[2][11:] == [
        "[]",
        second["uuid"],
        "2025-01-15T10:30:00Z",
        "2025-01-15T10:30:00Z",
        True,
        "2025-01-21T20:00:00Z",
    ]


def test_csv_export_starts_with_the_bom_and_reads_back(api: Api) -> None:
    first, second = _seed(api)
    result = _export(api, "csv")["result"]
    assert result["format"] == "csv"
    response = api.client.get(result["download_url"])
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    content = response.content
    assert content.startswith(b"\xef\xbb\xbfbatch_number,batch_date,nomenclature,")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert rows[0] == HEADER
    assert rows[1][:12] == [
        "1001",
        "2025-01-20",
        "Номенклатура товара",
        "EKN-001",
        "1",
        "Бригада А",
        "Описание задания",
        "2025-01-20T08:00:00Z",
        "2025-01-20T20:00:00Z",
        "WC-001",
        "Цех №1",
        rows[1][11],
    ]
    assert sorted(p["unique_code"] for p in json.loads(rows[1][11])) == ["PROD-001", "PROD-002"]
    assert rows[1][12:] == [first["uuid"], "2025-01-15T10:30:00Z", "2025-01-15T10:30:00Z", "false", ""]
    assert rows[2][12:] == [
        second["uuid"],
        "2025-01-15T10:30:00Z",
        "2025-01-15T10:30:00Z",
        "true",
        "2025-01-21T20:00:00Z",
    ]
    assert len(rows) == 3


def test_filters_from_body_win_over_query(api: Api) -> None:
    _seed(api)
    by_query = _export(api, "csv", params={"is_closed": "true"})["result"]
    assert by_query["total"] == 1
    both = _export(api, "csv", params={"is_closed": "true"}, json={"is_closed": False})["result"]
    assert both["total"] == 1
    rows = list(csv.reader(io.StringIO(_download(api, both["download_url"]).decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["1001"]
    combined = _export(api, "csv", params={"shift": "2"}, json={"batch_date_from": "2025-01-21"})["result"]
    assert combined["total"] == 1
    none = _export(api, "xlsx", json={"batch_date_from": "2025-01-01", "batch_date_to": "2025-01-19"})[
        "result"
    ]
    assert none["total"] == 0
    rows = CalamineWorkbook.from_filelike(
        io.BytesIO(_download(api, none["download_url"]))
    ).get_sheet_by_index(0)
    assert rows.to_python() == [HEADER]


@pytest.mark.parametrize("query", ["", "?format=pdf", "?format=XLSX"])
def test_format_is_required_and_checked(api: Api, query: str) -> None:
    body = api.call("POST", f"/api/batches/export{query}", 422)
    assert body["detail"] == "Ошибка валидации запроса"
    assert body["errors"][0]["loc"] == ["query", "format"]


def test_bad_filter_in_body_is_422(api: Api) -> None:
    body = api.call("POST", "/api/batches/export?format=csv", 422, json={"batch_number": 0})
    assert body["errors"][0]["loc"] == ["body", "batch_number"]


def test_task_reports_progress_then_success(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    center = api.work_center()
    for number in range(1, 4):
        api.batch(center["uuid"], batch_number=number)
    seen: list[dict[str, Any]] = []
    real_progress = TaskContext.progress

    def spy(self: TaskContext, current: int, total: int | None = None) -> None:
        real_progress(self, current, total)
        with self.database.session(write=False) as session:
            seen.append(
                tasks_service.task_status(
                    session, task_id=self.job_id, now=api.client.app.state.runtime.clock.now()
                )
            )  # type: ignore[attr-defined]

    monkeypatch.setattr(TaskContext, "progress", spy)
    status = _export(api, "xlsx")
    task_id = status["task_id"]
    assert seen == [
        {"task_id": task_id, "status": "PROGRESS", "result": {"current": 0, "total": 3, "percent": 0}},
        {"task_id": task_id, "status": "PROGRESS", "result": {"current": 3, "total": 3, "percent": 100}},
    ]
    assert status == {
        "task_id": task_id,
        "status": "SUCCESS",
        "result": {
            "file_id": status["result"]["file_id"],
            "download_url": f"/api/reports/{status['result']['file_id']}",
            "format": "xlsx",
            "total": 3,
        },
    }
