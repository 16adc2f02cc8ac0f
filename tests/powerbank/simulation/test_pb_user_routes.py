"""The user routes of notes §2.12 on the demo simulators: borrow a bank, own orders, return, damage."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from opsuite.core.db import Database
from opsuite.powerbank.demo_cabinets import demo_serial
from opsuite.powerbank.orders.models import ReturnWindow
from opsuite.powerbank.powerbanks.models import PowerbankErrorReport
from opsuite.powerbank.runtime import Runtime
from tests.powerbank.helpers import USER, Api

WINDOW = "Процесс возврата запущен. Вставьте повербанк в станцию в течение 10 секунд."


def test_borrow_list_and_return_by_order(
    runtime: Runtime, as_user: Callable[[str], Api], database: Database
) -> None:
    user = as_user(USER)
    serial = demo_serial(2, 3)
    wrong_station = user.post("/api/user/powerbanks/borrow", {"powerbank_id": 9, "station_id": 1})
    assert (wrong_station.status_code, wrong_station.json()["error"]) == (
        400,
        "Повербанк не находится в станции",
    )
    borrowed = user.post("/api/user/powerbanks/borrow", {"powerbank_id": 9, "station_id": 2}).json()
    message = f"Повербанк {serial} успешно выдан из слота 3"
    assert borrowed == {
        "success": True,
        "data": {"message": message, "order_id": 1, "powerbank_serial": serial, "station_box_id": "ST002"},
        "message": message,
    }
    assert user.get("/api/user/orders").json()["data"] == {
        "orders": [
            {
                "order_id": 1,
                "powerbank": {"powerbank_id": 9, "serial_number": serial},
                "station": {"station_id": 2, "box_id": "ST002"},
                "status": "borrow",
                "borrow_time": "2026-03-10T12:00:00+03:00",
                "return_time": None,
            }
        ],
        "count": 1,
    }
    returned = user.post("/api/user/powerbanks/return", {"order_id": 1, "station_id": 1}).json()
    assert returned == {
        "success": True,
        "data": {"order_id": 1, "powerbank_id": 9, "station_id": 1, "timestamp": "2026-03-10T12:00:00+03:00"},
        "message": WINDOW,
    }
    unknown = user.post("/api/user/powerbanks/return", {"order_id": 7, "station_id": 1})
    assert (unknown.status_code, unknown.json()["error"]) == (
        400,
        "У вас нет активного заказа на этот повербанк",
    )


def test_return_damage_reports_and_opens_a_window(
    runtime: Runtime, as_user: Callable[[str], Api], database: Database
) -> None:
    user = as_user(USER)
    nothing = user.post("/api/return-damage", {"station_id": 1, "description": "не заряжает"})
    assert (nothing.status_code, nothing.json()["error"]) == (
        400,
        "У вас нет активного заказа на этот повербанк",
    )
    assert user.post("/api/borrow/stations/1/request", {"slot_number": 2}).status_code == 200
    damaged = user.post("/api/return-damage", {"station_id": 1, "description": "не заряжает"}).json()
    assert damaged["data"] == {
        "order_id": 1,
        "powerbank_id": 2,
        "station_id": 1,
        "timestamp": "2026-03-10T12:00:00+03:00",
    }
    assert (
        damaged["message"]
        == "Повреждение зарегистрировано. Вставьте повербанк в станцию в течение 10 секунд."
    )
    with database.session() as session:
        report = session.scalars(select(PowerbankErrorReport)).one()
        assert (report.error_type, report.additional_notes, report.order_id) == ("other", "не заряжает", 1)
        assert session.scalar(select(ReturnWindow.order_id)) == 1
