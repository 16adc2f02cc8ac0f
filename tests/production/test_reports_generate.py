"""Reports: PDF with Cyrillic sections and codes, xlsx with three sheets, 404/422, download headers."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from tests.production.helpers import Api


def _closed_batch(api: Api) -> dict[str, Any]:
    batch = api.batch()
    api.add_product(batch["uuid"], "PROD-001")
    api.add_product(batch["uuid"], "PROD-002")
    products = api.call("GET", f"/api/batches/{batch['uuid']}", 200)["products"]
    first = next(p for p in products if p["unique_code"] == "PROD-001")
    api.call(
        "PATCH",
        f"/api/products/{first['uuid']}/aggregate",
        200,
        json={"aggregated_at": "2025-01-20T12:00:00Z"},
    )
    api.call("PATCH", f"/api/batches/{batch['uuid']}/close", 200, json={"closed_at": "2025-01-20T18:00:00Z"})
    return api.call("GET", f"/api/batches/{batch['uuid']}", 200)


def _generate(api: Api, batch_id: str, fmt: str, **params: str) -> dict[str, Any]:
    body = api.call(
        "POST", f"/api/batches/{batch_id}/reports/generate", 201, params={"format": fmt, **params}
    )
    file_id = body["download_url"].removeprefix("/api/reports/")
    assert body == {"report_path": f"/reports/{file_id}.{fmt}", "download_url": f"/api/reports/{file_id}"}
    return body


def test_pdf_report_has_the_three_sections_in_cyrillic(api: Api) -> None:
    batch = _closed_batch(api)
    body = _generate(api, batch["uuid"], "pdf")
    response = api.client.get(body["download_url"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        'attachment; filename="Otchet o partii 1001 ot 20.01.2025.pdf"; '
        "filename*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82%20%D0%BE%20%D0%BF%D0%B0%D1%80%D1%82%D0%B8%D0%B8%201001%20%D0%BE%D1%82%2020.01.2025.pdf"
    )
    content = response.content
    assert content.startswith(b"%PDF-")
    assert response.headers["content-length"] == str(len(content))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    for label in (
        "Отчёт о партии №1001 от 20.01.2025",
        "Информация о партии",
        "Продукция",
        "Статистика",
        "Номенклатура товара",
        "Бригада А",
        "Цех №1 (WC-1001)",
        "Закрыта",
        "20.01.2025 08:00",
        "20.01.2025 18:00",
        "PROD-001",
        "PROD-002",
        "Уникальный код",
        "Да",
        "Нет",
        "20.01.2025 12:00",
        "Процент выполнения",
        "50.00",
        "0.10",
    ):
        assert label in text, label


def test_pdf_output_is_invariant(api: Api) -> None:
    batch = _closed_batch(api)
    first = api.client.get(_generate(api, batch["uuid"], "pdf")["download_url"]).content
    second = api.client.get(_generate(api, batch["uuid"], "pdf")["download_url"]).content
    assert first == second


def test_xlsx_report_has_three_sheets_with_the_same_content(api: Api) -> None:
    batch = _closed_batch(api)
    body = _generate(api, batch["uuid"], "xlsx")
    response = api.client.get(body["download_url"])
    assert (
        response.headers["content-type"]
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert workbook.sheet_names == ["Информация о партии", "Продукция", "Статистика"]
    assert workbook.get_sheet_by_name("Информация о партии").to_python() == [
        ["Поле", "Значение"],
        ["Номер партии", "1001"],
        ["Дата партии", "20.01.2025"],
        ["Номенклатура", "Номенклатура товара"],
        ["Код ЕКН", "EKN-001"],
        ["Смена", "1"],
        ["Бригада", "Бригада А"],
        ["Рабочий центр", "Цех №1 (WC-1001)"],
        ["Задание", "Описание задания"],
        ["Начало смены (UTC)", "20.01.2025 08:00"],
        ["Окончание смены (UTC)", "20.01.2025 20:00"],
        ["Статус", "Закрыта"],
        ["Дата закрытия (UTC)", "20.01.2025 18:00"],
    ]
    ids = {p["unique_code"]: p["uuid"] for p in batch["products"]}
    products = workbook.get_sheet_by_name("Продукция").to_python()
    assert products[0] == ["ID", "Уникальный код", "Агрегирована", "Дата агрегации"]
    assert sorted(products[1:], key=lambda row: row[1]) == [
        [ids["PROD-001"], "PROD-001", "Да", "20.01.2025 12:00"],
        [ids["PROD-002"], "PROD-002", "Нет", "—"],
    ]
    # 1 of 2 aggregated over the 10 hours from shift start to closing.
    assert workbook.get_sheet_by_name("Статистика").to_python() == [
        ["Показатель", "Значение"],
        ["Всего продуктов", 2.0],
        ["Агрегировано", 1.0],
        ["Осталось", 1.0],
        ["Процент выполнения", 50.0],
        ["Средняя скорость, шт/ч", 0.1],
    ]


def test_open_batch_without_products(api: Api) -> None:
    batch = api.batch()
    body = _generate(api, batch["uuid"], "xlsx")
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(api.client.get(body["download_url"]).content))
    assert workbook.get_sheet_by_name("Продукция").to_python() == [
        ["ID", "Уникальный код", "Агрегирована", "Дата агрегации"]
    ]
    assert workbook.get_sheet_by_name("Статистика").to_python()[1:] == [
        ["Всего продуктов", 0.0],
        ["Агрегировано", 0.0],
        ["Осталось", 0.0],
        ["Процент выполнения", 0.0],
        ["Средняя скорость, шт/ч", 0.0],
    ]
    pdf = api.client.get(_generate(api, batch["uuid"], "pdf")["download_url"]).content
    assert "Продукция отсутствует" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_missing_batch_is_404(api: Api) -> None:
    missing = "550e8400-e29b-41d4-a716-446655440000"
    body = api.call("POST", f"/api/batches/{missing}/reports/generate", 404, params={"format": "pdf"})
    assert body == {"detail": f"Партия с UUID {missing} не найдена"}


@pytest.mark.parametrize(
    "params",
    [
        {"format": "doc"},
        {},
        {"format": "pdf", "user_email": "not-an-email"},
        {"format": "pdf", "user_email": "a@b"},
    ],
)
def test_bad_query_is_422(api: Api, params: dict[str, str]) -> None:
    batch = api.batch()
    body = api.call("POST", f"/api/batches/{batch['uuid']}/reports/generate", 422, params=params)
    assert body["detail"] == "Ошибка валидации запроса"


def test_user_email_without_smtp_skips_the_mail(api: Api) -> None:
    batch = api.batch()
    _generate(api, batch["uuid"], "pdf", user_email="user@example.com")
    api.wait_jobs()
    runtime = api.client.app.state.runtime  # type: ignore[attr-defined]
    from sqlalchemy import select

    from opsuite.production.jobs.models import Job

    with runtime.database.session(write=False) as session:
        (job,) = session.scalars(select(Job).where(Job.name == "mail.send_report"))
        assert (job.state, job.result) == (
            "SUCCESS",
            {"sent": False, "to": "user@example.com", "reason": "SMTP не настроен"},
        )
