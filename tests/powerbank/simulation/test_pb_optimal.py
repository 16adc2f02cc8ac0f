"""The optimal bank (notes §3.3): healthy first, highest level, then SOH, voltage, lowest slot."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import update

from opsuite.core.db import Database
from opsuite.powerbank.demo_cabinets import demo_serial
from opsuite.powerbank.runtime import Runtime
from opsuite.powerbank.stations.models import StationPowerbank
from tests.powerbank.helpers import USER, Api


def _levels(database: Database, station_id: int, levels: dict[int, int]) -> None:
    with database.session() as session:
        for slot, level in levels.items():
            session.execute(
                update(StationPowerbank)
                .where(StationPowerbank.station_id == station_id, StationPowerbank.slot_number == slot)
                .values(level=level)
            )


def test_select_then_request_the_optimal_bank(
    runtime: Runtime, as_user: Callable[[str], Api], database: Database
) -> None:
    # ST002 holds banks 7..11 in slots 1..5; slot 4 is fullest, slot 5 too flat to count healthy.
    _levels(database, 2, {1: 60, 2: 80, 3: 80, 4: 95, 5: 3})
    user = as_user(USER)
    selected = user.get("/api/borrow/stations/2/select-optimal").json()
    assert selected == {
        "success": True,
        "selected_powerbank": {
            "slot_number": 4,
            "powerbank_id": 10,
            "serial_number": demo_serial(2, 4),
            "level": 95,
            "voltage": 4110,
            "temperature": 30,
            "soh": 100,
            "has_errors": False,
        },
        "selection_reason": "Выбран исправный повербанк с наибольшим зарядом",
        "total_available": 5,
        "healthy_count": 4,
        "error_count": 1,
    }
    borrowed = user.post("/api/borrow/stations/2/request-optimal", {}).json()
    assert (borrowed["slot_number"], borrowed["powerbank_id"], borrowed["selection_info"]) == (
        4,
        10,
        {
            "reason": "Выбран исправный повербанк с наибольшим зарядом",
            "total_available": 5,
            "healthy_count": 4,
            "error_count": 1,
        },
    )


def test_no_healthy_bank_is_400_with_the_counts(
    runtime: Runtime, as_user: Callable[[str], Api], database: Database
) -> None:
    _levels(database, 2, dict.fromkeys(range(1, 6), 2))
    answer = as_user(USER).post("/api/borrow/stations/2/request-optimal", {})
    assert (answer.status_code, answer.json()) == (
        400,
        {"success": False, "error": "Нет исправных повербанков для выдачи (доступно: 5, с ошибками: 5)"},
    )
