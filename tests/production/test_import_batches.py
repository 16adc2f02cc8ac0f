"""Import: upload checks (400, 413), per-row results with the original's messages, and the export round trip."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
import xlsxwriter

from opsuite.production.settings import ProductionSettings
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
    "is_closed",
    "closed_at",
]

GOOD = {
    "batch_number": "2001",
    "batch_date": "2025-02-01",
    "nomenclature": "Молоко 1 л",
    "ekn_code": "EKN-100",
    "shift": "1",
    "team": "Бригада А",
    "task_description": "Розлив",
    "shift_start": "2025-02-01T08:00:00Z",
    "shift_end": "2025-02-01T20:00:00Z",
    "work_center_identifier": "WC-NEW",
    "work_center_name": "Новый цех",
    "products": "",
    "is_closed": "",
    "closed_at": "",
}


def _csv(rows: list[dict[str, Any]], header: list[str] = HEADER) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(rows: list[list[Any]]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    stamp = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for index, row in enumerate(rows):
        for col, value in enumerate(row):
            if value is not None:
                sheet.write(index, col, value, stamp if hasattr(value, "year") else None)
    workbook.close()
    return buffer.getvalue()


def _import(api: Api, name: str, content: bytes, update: str | None = None) -> dict[str, Any]:
    data = {} if update is None else {"update_existing": update}
    accepted = api.call("POST", "/api/batches/import", 202, files={"file": (name, content)}, data=data)
    assert accepted["status"] == "PENDING"
    assert accepted["message"] == "Import task started"
    api.wait_jobs()
    status = api.call("GET", f"/api/background_tasks/{accepted['task_id']}", 200)
    assert status["status"] == "SUCCESS", status
    return status["result"]


def _batches(api: Api) -> list[dict[str, Any]]:
    return api.call(
        "GET", "/api/batches", 200, params={"sort_field": "batch_number", "sort_direction": "ASC"}
    )["items"]


def test_csv_rows_create_batches_work_centers_and_products(api: Api) -> None:
    rows = [
        {**GOOD, "products": '["P-1", "P-2", "P-1"]'},
        {
            **GOOD,
            "batch_number": "2002",
            "batch_date": "02.02.2025",
            "shift_start": "2025-02-02 08:00:00",
            "shift_end": "02.02.2025 20:00:00",
            "is_closed": "да",
            "closed_at": "2025-02-02T21:00:00Z",
            "products": "P-3; P-4",
        },
    ]
    result = _import(api, "batches.csv", _csv(rows))
    assert result == {"success": True, "total": 2, "created": 2, "updated": 0, "failed": 0, "errors": []}
    batches = _batches(api)
    assert [(b["batch_number"], b["batch_date"], b["is_closed"], b["closed_at"]) for b in batches] == [
        (2001, "2025-02-01", False, None),
        (2002, "2025-02-02", True, "2025-02-02T21:00:00Z"),
    ]
    assert batches[1]["shift_time_range"] == {"start": "2025-02-02T08:00:00Z", "end": "2025-02-02T20:00:00Z"}
    assert sorted(p["unique_code"] for p in batches[0]["products"]) == ["P-1", "P-2"]
    assert sorted(p["unique_code"] for p in batches[1]["products"]) == ["P-3", "P-4"]
    centers = api.call("GET", "/api/work_centers", 200, params={"identifier": "WC-NEW"})["items"]
    assert [(c["identifier"], c["name"]) for c in centers] == [("WC-NEW", "Новый цех")]
    assert {b["work_center_id"] for b in batches} == {centers[0]["uuid"]}


def test_bad_rows_fail_alone_with_the_original_messages(api: Api) -> None:
    rows = [
        {**GOOD, "batch_number": "3001"},
        {**GOOD, "batch_number": "3002", "batch_date": "2025/13/45"},
        {**GOOD, "batch_number": "3003", "shift_start": "вчера"},
        {**GOOD, "batch_number": "3004", "work_center_identifier": " "},
        {**GOOD, "batch_number": "3005", "shift_end": ""},
        {**GOOD, "batch_number": "-5"},
        {**GOOD, "batch_number": "3001"},
        {**GOOD, "batch_number": "3008", "shift_end": "2025-02-01T07:00:00Z"},
        {**GOOD, "batch_number": "3009", "is_closed": "может быть"},
        {**GOOD, "batch_number": "abc"},
        {**GOOD, "batch_number": "3011", "products": "P-9"},
        {**GOOD, "batch_number": "3012", "products": "P-9"},
    ]
    result = _import(api, "batches.csv", _csv(rows))
    assert result == {
        "success": False,
        "total": 12,
        "created": 2,
        "updated": 0,
        "failed": 10,
        "errors": [
            {"row": 3, "error": "Неверный формат даты: 2025/13/45"},
            {"row": 4, "error": "Неверный формат datetime: вчера"},
            {"row": 5, "error": "work_center_identifier обязателен и не может быть пустым"},
            {"row": 6, "error": "shift_end обязателен и не может быть пустым"},
            {"row": 7, "error": "Номер партии должен быть положительным числом"},
            {"row": 8, "error": "Партия с номером 3001 и датой 2025-02-01 уже существует"},
            {"row": 9, "error": "Время окончания смены должно быть позже времени начала"},
            {"row": 10, "error": "Не удалось преобразовать может быть в bool"},
            {"row": 11, "error": "Не удалось преобразовать abc в int"},
            {"row": 13, "error": "Продукт с кодом P-9 уже существует"},
        ],
    }
    assert [b["batch_number"] for b in _batches(api)] == [3001, 3011]
    # Row 13 failed whole: its batch was rolled back with the product (each row in its own savepoint).


def test_update_existing_matches_number_and_date(api: Api) -> None:
    center = api.work_center(identifier="WC-NEW", name="Новый цех")
    batch = api.batch(center["uuid"], batch_number=2001, batch_date="2025-02-01")
    api.add_product(batch["uuid"], "P-1")
    rows = [
        {**GOOD, "team": "Бригада Б", "products": '["P-1", "P-2"]', "is_closed": "true"},
        {**GOOD, "batch_number": "2002"},
    ]
    result = _import(api, "batches.csv", _csv(rows), update="true")
    assert result == {"success": True, "total": 2, "created": 1, "updated": 1, "failed": 0, "errors": []}
    updated = api.call("GET", f"/api/batches/{batch['uuid']}", 200)
    assert (updated["team"], updated["nomenclature"], updated["is_closed"]) == (
        "Бригада Б",
        "Молоко 1 л",
        True,
    )
    assert updated["closed_at"] == "2025-01-15T10:30:00Z"
    assert sorted(p["unique_code"] for p in updated["products"]) == ["P-1", "P-2"]
    again = _import(api, "batches.csv", _csv(rows[1:]), update="false")
    assert again["errors"] == [{"row": 2, "error": "Партия с номером 2002 и датой 2025-02-01 уже существует"}]
    assert (again["created"], again["updated"], again["failed"]) == (0, 0, 1)


def test_xlsx_cells_keep_excel_types(api: Api) -> None:
    import datetime as dt

    header = HEADER[:12]
    rows = [
        header,
        [
            4001.0,
            dt.datetime(2025, 3, 1),
            "Сыр",
            "EKN-7",
            2,
            "Бригада В",
            "Нарезка",
            dt.datetime(2025, 3, 1, 8),
            "2025-03-01T20:00:00+03:00",
            "WC-X",
            "Цех X",
            '[{"unique_code": "C-1", "is_aggregated": true, "aggregated_at": "2025-03-01T10:00:00Z"}]',
        ],
        [
            4002.5,
            "2025-03-02",
            "Сыр",
            "EKN-7",
            "1",
            "Бригада В",
            "Нарезка",
            "2025-03-02T08:00:00Z",
            "2025-03-02T20:00:00Z",
            "WC-X",
            "Цех X",
            None,
        ],
    ]
    result = _import(api, "batches.xlsx", _xlsx(rows))
    assert result == {
        "success": False,
        "total": 2,
        "created": 1,
        "updated": 0,
        "failed": 1,
        "errors": [{"row": 3, "error": "Не удалось преобразовать 4002.5 в int"}],
    }
    (batch,) = _batches(api)
    assert (batch["batch_number"], batch["batch_date"], batch["shift"]) == (4001, "2025-03-01", "2")
    assert batch["shift_time_range"] == {"start": "2025-03-01T08:00:00Z", "end": "2025-03-01T17:00:00Z"}
    assert [(p["unique_code"], p["is_aggregated"], p["aggregated_at"]) for p in batch["products"]] == [
        ("C-1", True, "2025-03-01T10:00:00Z")
    ]


def test_missing_columns_and_broken_files_fail_as_row_zero(api: Api) -> None:
    result = _import(api, "batches.csv", _csv([{"batch_number": "1"}], header=["batch_number"]))
    assert result["success"] is False
    assert result["errors"] == [
        {
            "row": 0,
            "error": "Отсутствуют обязательные колонки: batch_date, nomenclature, ekn_code, task_description, "
            "shift, team, shift_start, shift_end, work_center_identifier, work_center_name",
        }
    ]
    broken = _import(api, "batches.xlsx", b"PK\x03\x04" + b"\x00" * 200)
    assert (broken["success"], broken["total"], broken["failed"]) == (False, 0, 1)
    assert broken["errors"][0]["row"] == 0
    assert broken["errors"][0]["error"].startswith("Ошибка обработки файла: ")


@pytest.mark.parametrize(
    ("name", "content", "detail"),
    [
        ("batches.txt", b"batch_number\n1\n", "Unsupported file format: .txt"),
        ("batches", b"batch_number\n1\n", "Unsupported file format: batches"),
        (
            "batches.xlsx",
            b"batch_number,batch_date\n1,2\n",
            "Unsupported file format: .xlsx (содержимое файла не соответствует формату)",
        ),
        (
            "batches.csv",
            b"PK\x03\x04 zip inside",
            "Unsupported file format: .csv (содержимое файла не соответствует формату)",
        ),
        (
            "batches.csv",
            b"\x00\x01\x02\x03" * 10,
            "Unsupported file format: .csv (содержимое файла не соответствует формату)",
        ),
    ],
)
def test_unsupported_files_are_400(api: Api, name: str, content: bytes, detail: str) -> None:
    body = api.call("POST", "/api/batches/import", 400, files={"file": (name, content)})
    assert body == {"detail": detail}


def test_over_the_limit_is_413_and_nothing_is_kept(api: Api, settings: ProductionSettings) -> None:
    limit = 10 * 1024 * 1024
    assert settings.import_max_bytes == limit
    line = b"x" * 1023 + b"\n"
    at_limit = b"".join([line] * 10240)
    assert len(at_limit) == limit
    body = api.call("POST", "/api/batches/import", 413, files={"file": ("big.csv", at_limit + b"x")})
    assert body == {"detail": "Файл больше допустимого размера (10 MB)"}
    assert [p for p in settings.files_path.rglob("*") if p.is_file()] == []
    # Exactly at the limit is accepted (and fails later for its columns, not its size).
    result = _import(api, "big.csv", at_limit)
    assert result["errors"][0]["row"] == 0


def test_content_length_over_the_limit_is_refused_before_reading(api: Api) -> None:
    response = api.client.post(
        "/api/batches/import",
        content=b"--b\r\n",
        headers={"content-type": "multipart/form-data; boundary=b", "content-length": str(50 * 1024 * 1024)},
    )
    assert response.status_code == 413


def test_missing_file_and_bad_flag_are_422(api: Api) -> None:
    body = api.call("POST", "/api/batches/import", 422, files={"other": ("a.csv", b"x")})
    assert body == {"detail": "Поле file обязательно"}
    body = api.call(
        "POST", "/api/batches/import", 422, files={"file": ("a.csv", b"x")}, data={"update_existing": "maybe"}
    )
    assert body == {"detail": "update_existing: ожидается boolean, получено 'maybe'"}
    assert api.call("POST", "/api/batches/import", 400, json={"a": 1})["detail"].startswith(
        "Неверный multipart-запрос"
    )


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_round_trips(api: Api, fmt: str) -> None:
    center = api.work_center(identifier="WC-RT", name="Цех «Круг»")
    first = api.batch(center["uuid"], batch_number=5001, task_description='Задание, с "кавычками"\nи строкой')
    api.add_product(first["uuid"], "RT-1")
    api.add_product(first["uuid"], "RT-2")
    api.call(
        "PATCH",
        f"/api/batches/{first['uuid']}/aggregate",
        202,
        json={"aggregated_at": "2025-01-20T12:00:00Z"},
    )
    api.call("PATCH", f"/api/batches/{first['uuid']}/close", 200, json={"closed_at": "2025-01-20T20:00:00Z"})
    api.batch(center["uuid"], batch_number=5002, shift="Ночная")
    before = _batches(api)

    accepted = api.call("POST", "/api/batches/export", 202, params={"format": fmt})
    api.wait_jobs()
    result = api.call("GET", f"/api/background_tasks/{accepted['task_id']}", 200)["result"]
    content = api.client.get(result["download_url"]).content

    # The same file into the same database updates both batches and changes nothing.
    same = _import(api, f"export.{fmt}", content, update="true")
    assert same == {"success": True, "total": 2, "created": 0, "updated": 2, "failed": 0, "errors": []}
    after = _batches(api)
    assert [_essence(b) for b in after] == [_essence(b) for b in before]

    # Into an empty database it recreates the batches, work center, products, aggregation and closing.
    for batch in after:
        if not batch["is_closed"]:
            api.call("PATCH", f"/api/batches/{batch['uuid']}/close", 200)
        api.call("DELETE", f"/api/batches/{batch['uuid']}", 204)
    api.call("DELETE", f"/api/work_centers/{center['uuid']}", 204)
    fresh = _import(api, f"export.{fmt}", content)
    assert fresh == {"success": True, "total": 2, "created": 2, "updated": 0, "failed": 0, "errors": []}
    assert [_essence(b) for b in _batches(api)] == [_essence(b) for b in before]


def _essence(batch: dict[str, Any]) -> dict[str, Any]:
    skip = {"uuid", "created_at", "updated_at", "work_center_id", "products"}
    return {
        **{k: v for k, v in batch.items() if k not in skip},
        "products": sorted(
            (p["unique_code"], p["is_aggregated"], p["aggregated_at"]) for p in batch["products"]
        ),
    }


def test_round_trip_column_set_is_the_export_header() -> None:
    from opsuite.production.exports.service import COLUMNS
    from opsuite.production.imports.parsing import OPTIONAL, REQUIRED

    assert set(REQUIRED) | set(OPTIONAL) <= set(COLUMNS)
    assert (
        json.dumps(sorted(set(COLUMNS) - set(REQUIRED) - set(OPTIONAL)))
        == '["created_at", "updated_at", "uuid"]'
    )
