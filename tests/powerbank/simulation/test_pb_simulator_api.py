"""The simulator control API: a service admin inserts, pulls and breaks demo cabinets over HTTP."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from opsuite.core.db import Database
from opsuite.powerbank.demo_cabinets import demo_serial
from opsuite.powerbank.orders.models import Order
from opsuite.powerbank.runtime import Runtime
from tests.powerbank.helpers import GROUP_ADMIN, SERVICE_ADMIN, USER, Api

ST003 = {
    "box_id": "ST003",
    "logged_in": True,
    "fault": "none",
    "slots": 4,
    "jammed": [],
    "banks": [{"slot_number": n, "serial_number": demo_serial(3, n), "level": 100} for n in (1, 2, 3)],
}


def test_the_service_admin_sees_every_running_cabinet(
    runtime: Runtime, as_user: Callable[[str], Api]
) -> None:
    listed = as_user(SERVICE_ADMIN).get("/api/simulator/cabinets").json()
    assert (listed["count"], [row["box_id"] for row in listed["data"]]) == (3, ["ST001", "ST002", "ST003"])
    assert listed["data"][2] == ST003


def test_other_roles_are_refused(runtime: Runtime, as_user: Callable[[str], Api]) -> None:
    for phone in (GROUP_ADMIN, USER):
        answer = as_user(phone).get("/api/simulator/cabinets")
        assert (answer.status_code, answer.json()) == (403, {"success": False, "error": "Доступ запрещен"})


def test_an_insert_through_the_api_returns_a_rented_bank(
    runtime: Runtime, as_user: Callable[[str], Api], database: Database
) -> None:
    assert as_user(USER).post("/api/borrow/stations/1/request", {"slot_number": 1}).status_code == 200
    inserted = as_user(SERVICE_ADMIN).post(
        "/api/simulator/cabinets/ST003/insert", {"slot_number": 4, "serial_number": demo_serial(1, 1)}
    )
    assert (inserted.status_code, inserted.json()["data"]) == (
        200,
        {"box_id": "ST003", "slot_number": 4, "result": 1},
    )
    with database.session() as session:
        order = session.scalars(select(Order)).one()
        assert (order.status, order.return_station_id, order.return_slot_number) == ("return", 3, 4)


def test_fault_and_bad_input(runtime: Runtime, as_user: Callable[[str], Api]) -> None:
    admin = as_user(SERVICE_ADMIN)
    jammed = admin.post("/api/simulator/cabinets/ST003/fault", {"fault": "jam", "slot_number": 2})
    assert jammed.json()["data"] == {**ST003, "fault": "jam", "jammed": [2]}
    assert admin.post("/api/simulator/cabinets/ST009/pull", {"slot_number": 1}).json() == {
        "success": False,
        "error": "Симулятор станции ST009 не запущен",
    }
    too_far = admin.post("/api/simulator/cabinets/ST003/pull", {"slot_number": 5})
    assert (too_far.status_code, too_far.json()["error"]) == (400, "В станции ST003 нет слота 5")
    taken = admin.post("/api/simulator/cabinets/ST003/insert", {"slot_number": 1, "serial_number": "A" * 16})
    assert (taken.status_code, taken.json()["error"]) == (400, "Слот 1 занят")
