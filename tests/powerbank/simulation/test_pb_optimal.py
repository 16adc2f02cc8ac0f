"""The optimal bank (notes §3.3): healthy first, highest level, then SOH, voltage, lowest slot."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from opsuite.powerbank.demo_cabinets import demo_serial
from opsuite.powerbank.devices.cabinet_state import Bank
from opsuite.powerbank.runtime import Runtime
from tests.powerbank.helpers import USER, Api
from tests.powerbank.simulation.conftest import on_app_loop


def _levels(client: TestClient, runtime: Runtime, levels: dict[int, int]) -> None:
    """Charge ST002's banks to `levels` and let the cabinet report them (an inventory)."""
    simulator = runtime.simulators.by_box["ST002"]
    for slot, level in levels.items():
        simulator.state.banks[slot] = Bank(demo_serial(2, slot), level=level)
    on_app_loop(client, lambda: runtime.cabinets.inventory("ST002"))


def test_select_then_request_the_optimal_bank(
    client: TestClient, runtime: Runtime, as_user: Callable[[str], Api]
) -> None:
    # ST002 holds banks 7..11 in slots 1..5; slot 4 is fullest, slot 5 too flat to count healthy.
    _levels(client, runtime, {1: 60, 2: 80, 3: 80, 4: 95, 5: 3})
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
    client: TestClient, runtime: Runtime, as_user: Callable[[str], Api]
) -> None:
    _levels(client, runtime, dict.fromkeys(range(1, 6), 2))
    answer = as_user(USER).post("/api/borrow/stations/2/request-optimal", {})
    assert (answer.status_code, answer.json()) == (
        400,
        {"success": False, "error": "Нет исправных повербанков для выдачи (доступно: 5, с ошибками: 5)"},
    )
