"""Error reports on a rented bank (notes §2.6): stored on the caller's active order, applied on return."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select

from opsuite.core.db import Database
from opsuite.powerbank.demo_cabinets import demo_serial
from opsuite.powerbank.powerbanks.models import Powerbank, PowerbankErrorReport
from opsuite.powerbank.runtime import Runtime
from tests.powerbank.helpers import GROUP_ADMIN, USER, Api
from tests.powerbank.simulation.conftest import on_app_loop


def test_a_report_turns_the_bank_system_error_when_it_comes_back(
    client: TestClient, runtime: Runtime, as_user: Callable[[str], Api], database: Database
) -> None:
    user = as_user(USER)
    assert user.post("/api/borrow/stations/1/request", {"slot_number": 1}).status_code == 200
    report = {"order_id": 1, "powerbank_id": 1, "station_id": 1, "error_type": "cable_type_c_damaged"}
    for path in ("/api/powerbank-error-report", "/powerbank-error-report"):
        answer = user.post(path, {**report, "additional_notes": "кабель оторван"})
        assert (answer.status_code, answer.json()) == (
            200,
            {
                "success": True,
                "message": "Отчет об ошибке создан успешно",
                "powerbank_id": 1,
                "error_type": "cable_type_c_damaged",
                "new_status": "system_error",
                "write_off_reason": "none",
                "timestamp": "2026-03-10T12:00:00+03:00",
            },
        )
    other = as_user(GROUP_ADMIN).post("/api/powerbank-error-report", report)
    assert (other.status_code, other.json()) == (404, {"success": False, "error": "Заказ не найден"})
    wrong = user.post("/api/powerbank-error-report", {**report, "powerbank_id": 2})
    assert (wrong.status_code, wrong.json()["error"]) == (
        400,
        "Заказ не активен или не относится к этому повербанку",
    )
    with database.session() as session:
        assert session.get(Powerbank, 1).status == "active"  # type: ignore[union-attr]
    assert on_app_loop(client, lambda: runtime.simulators.by_box["ST001"].insert(1, demo_serial(1, 1))) == 1
    with database.session() as session:
        assert session.get(Powerbank, 1).status == "system_error"  # type: ignore[union-attr]
        notes = session.scalars(select(PowerbankErrorReport.additional_notes)).all()
        assert notes == ["кабель оторван", "кабель оторван"]
