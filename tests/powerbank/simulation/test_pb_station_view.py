"""What a user sees of a station before borrowing (notes §2.5)."""

from __future__ import annotations

from collections.abc import Callable

from opsuite.powerbank.demo_cabinets import demo_serial
from opsuite.powerbank.runtime import Runtime
from tests.powerbank.helpers import USER, Api


def test_banks_slot_and_summary_of_a_station(runtime: Runtime, as_user: Callable[[str], Api]) -> None:
    user = as_user(USER)
    assert user.post("/api/borrow/stations/2/request", {"slot_number": 1}).status_code == 200
    banks = user.get("/api/borrow/stations/2/powerbanks").json()
    assert (banks["station_id"], banks["count"]) == (2, 4)
    assert [row["slot_number"] for row in banks["available_powerbanks"]] == [2, 3, 4, 5]
    assert banks["available_powerbanks"][0] == {
        "slot_number": 2,
        "powerbank_id": 8,
        "serial_number": demo_serial(2, 2),
        "level": 100,
        "voltage": 4110,
        "temperature": 30,
        "soh": 100,
        "has_errors": False,
        "last_update": "2026-03-10T12:00:00+03:00",
    }
    assert user.get("/api/borrow/stations/2/slots/1/status").json() == {
        "success": True,
        "slot_number": 1,
        "status": "empty",
        "powerbank_id": None,
        "serial_number": None,
        "powerbank_status": None,
        "level": None,
        "voltage": None,
        "temperature": None,
    }
    assert user.get("/api/borrow/stations/2/slots/2/status").json()["status"] == "occupied"
    info = user.get("/api/borrow/stations/2/info").json()
    assert info == {
        "success": True,
        "station": {
            "station_id": 2,
            "box_id": "ST002",
            "org_unit_id": 2,
            "slots_declared": 8,
            "remain_num": 4,
            "status": "active",
            "last_seen": "2026-03-10T12:00:00+03:00",
            "is_connected": True,
        },
        "powerbanks": {"total_slots": 8, "occupied_slots": 4, "available_slots": 4},
    }


def test_a_station_of_the_group_is_not_the_subgroup_users(
    runtime: Runtime, as_user: Callable[[str], Api]
) -> None:
    answer = as_user(USER).get("/api/borrow/stations/3/powerbanks")
    assert (answer.status_code, answer.json()) == (403, {"success": False, "error": "Доступ запрещен"})
    missing = as_user(USER).get("/api/borrow/stations/99/info")
    assert (missing.status_code, missing.json()) == (404, {"success": False, "error": "Станция не найдена"})
