"""Reports over the site's days: the summary totals and the Excel journal with its totals row."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from python_calamine import CalamineWorkbook

from opsuite.core.db import Database
from opsuite.weighbridge.trucks.models import Truck
from tests.weighbridge.helpers import Api, add_visit

# In Tashkent (UTC+5): 1 Feb 10:30, 1 Feb 23:30, 2 Feb 00:30, 3 Feb 09:00.
FEB1_MORNING = datetime(2026, 2, 1, 5, 30, tzinfo=UTC)
FEB1_LATE = datetime(2026, 2, 1, 18, 30, tzinfo=UTC)
FEB2_EARLY = datetime(2026, 2, 1, 19, 30, tzinfo=UTC)
FEB3 = datetime(2026, 2, 3, 4, 0, tzinfo=UTC)


def seed(database: Database, operator: Api) -> None:
    operator.post("/products", json={"name": "Ko'mir"})
    add_visit(database, "01A777AA", at=FEB1_MORNING, entrance=10000.0, exit_weight=25000.0, product_id=1)
    add_visit(database, "10B123CD", at=FEB1_LATE, entrance=31800.0, exit_weight=12950.0)
    add_visit(database, "30C555DE", at=FEB2_EARLY, entrance=13050.0)
    add_visit(database, "40D000AA", at=FEB2_EARLY)  # started, never weighed: not counted
    deleted = add_visit(database, "50E111BB", at=FEB1_MORNING, entrance=9000.0, exit_weight=19000.0)
    add_visit(database, "60F222CC", at=FEB3, entrance=5000.0)
    with database.session() as session:
        truck = session.get(Truck, deleted)
        assert truck is not None
        truck.deleted_at = FEB3


def test_summary_counts_weighed_visits_of_the_sites_days(operator: Api, database: Database) -> None:
    seed(database, operator)
    summary = lambda a, b: operator.get(f"/reports/summary?date_from={a}&date_to={b}").json()  # noqa: E731
    assert summary("2026-02-01", "2026-02-01") == {
        "total_trucks": 2,
        "total_weight_in": 41800.0,
        "total_weight_out": 37950.0,
    }
    assert summary("2026-02-02", "2026-02-02") == {
        "total_trucks": 1,
        "total_weight_in": 13050.0,
        "total_weight_out": 0.0,
    }
    assert summary("2026-02-01", "2026-02-03") == {
        "total_trucks": 4,
        "total_weight_in": 59850.0,
        "total_weight_out": 37950.0,
    }
    assert summary("2026-03-01", "2026-03-31") == {
        "total_trucks": 0,
        "total_weight_in": 0.0,
        "total_weight_out": 0.0,
    }


def test_a_backward_or_impossible_period_is_refused(operator: Api) -> None:
    backward = operator.get("/reports/summary?date_from=2026-02-02&date_to=2026-02-01")
    assert (backward.status_code, backward.json()) == (400, {"detail": "date_to раньше date_from"})
    assert operator.get("/reports/summary?date_from=9999-12-31&date_to=9999-12-31").status_code == 422
    assert operator.get("/reports/export/excel?date_from=2026-02-01").status_code == 422


def test_excel_has_a_row_per_weighed_visit_and_a_totals_row(operator: Api, database: Database) -> None:
    seed(database, operator)
    response = operator.get("/reports/export/excel?date_from=2026-02-01&date_to=2026-02-02")
    assert response.status_code == 200
    assert (
        response.headers["content-type"]
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert 'filename="weighings_2026-02-01_2026-02-02.xlsx"' in response.headers["content-disposition"]
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == "Журнал взвешиваний 01.02.2026 — 02.02.2026"
    assert rows[2] == [
        "№",
        "Номер машины",
        "Продукт",
        "Въезд, кг",
        "Выезд, кг",
        "Тара, кг",
        "Брутто, кг",
        "Нетто, кг",
        "Оператор",
        "Время въезда",
        "Время выезда",
    ]
    assert rows[3:] == [
        [1.0, "01A777AA", "Ko'mir", 10000.0, 25000.0, 10000.0, 25000.0, 15000.0, "+998901112233",
         "01.02.2026 10:32", "01.02.2026 11:10"],
        [2.0, "10B123CD", "", 31800.0, 12950.0, 12950.0, 31800.0, 18850.0, "+998901112233",
         "01.02.2026 23:32", "02.02.2026 00:10"],
        [3.0, "30C555DE", "", 13050.0, "", "", "", "", "+998901112233", "02.02.2026 00:32", ""],
        ["Итого", "машин: 3", "", 54850.0, 37950.0, 22950.0, 56800.0, 33850.0, "", "", ""],
    ]  # fmt: skip
