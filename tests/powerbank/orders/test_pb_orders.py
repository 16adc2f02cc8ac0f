"""`GET /api/orders` and `/api/orders/{id}`: own rows for users, stations in scope for admins."""

from __future__ import annotations

from collections.abc import Callable

from opsuite.core.db import Database
from opsuite.powerbank.orders.models import Order
from tests.powerbank.helpers import GROUP_ADMIN, SERVICE_ADMIN, START, SUBGROUP_ADMIN, USER, Api


def _orders(database: Database) -> None:
    """Order 1: the user's, at ST001 (subgroup); order 2: the group admin's, at ST003 (group), returned."""
    with database.session() as session:
        session.add(
            Order(
                user_id=4,
                powerbank_id=1,
                station_id=1,
                slot_number=1,
                status="borrow",
                timestamp=START,
                borrowed_at=START,
                powerbank_serial="4443484154000101",
                station_box_id="ST001",
                user_phone=USER,
                user_fio="Иван Пользователь",
            )
        )
        session.add(
            Order(
                user_id=2,
                powerbank_id=12,
                station_id=3,
                slot_number=1,
                status="return",
                timestamp=START,
                completed_at=START,
                return_station_id=3,
                station_box_id="ST003",
            )
        )


def test_each_role_sees_its_orders(client: object, as_user: Callable[[str], Api], database: Database) -> None:
    _orders(database)

    def ids(phone: str, query: str = "") -> list[int]:
        return [row["order_id"] for row in as_user(phone).get(f"/api/orders{query}").json()["data"]]

    assert ids(USER) == [1]
    assert ids(USER, "?user_id=2") == []
    assert ids(SUBGROUP_ADMIN) == [1]
    assert ids(GROUP_ADMIN) == [2, 1]
    assert ids(SERVICE_ADMIN, "?status=return") == [2]
    body = as_user(USER).get("/api/orders").json()
    assert body["pagination"] == {"page": 1, "limit": 10, "total": 1, "pages": 1}
    assert body["data"][0] == {
        "id": 1,
        "order_id": 1,
        "station_id": 1,
        "user_id": 4,
        "powerbank_id": 1,
        "slot_number": 1,
        "status": "borrow",
        "failure_reason": None,
        "timestamp": "2026-03-10T12:00:00+03:00",
        "completed_at": None,
        "return_station_id": None,
        "station_box_id": "ST001",
        "user_phone": USER,
        "user_fio": "Иван Пользователь",
        "powerbank_serial": "4443484154000101",
    }


def test_an_order_out_of_sight_is_404(
    client: object, as_user: Callable[[str], Api], database: Database
) -> None:
    _orders(database)
    assert as_user(USER).get("/api/orders/1").json()["data"]["status"] == "borrow"
    for phone, order in ((USER, 2), (SUBGROUP_ADMIN, 2), (SERVICE_ADMIN, 99)):
        answer = as_user(phone).get(f"/api/orders/{order}")
        assert (answer.status_code, answer.json()) == (404, {"success": False, "error": "Заказ не найден"})
    bad = as_user(USER).get("/api/orders?status=cancelled")
    assert bad.status_code == 400


def test_active_orders_of_a_station(
    client: object, as_user: Callable[[str], Api], database: Database
) -> None:
    _orders(database)
    row = {
        "order_id": 1,
        "station_id": 1,
        "user_id": 4,
        "powerbank_id": 1,
        "status": "borrow",
        "timestamp": "2026-03-10T12:00:00+03:00",
    }
    for phone in (USER, SUBGROUP_ADMIN):
        assert as_user(phone).get("/api/return/stations/1/active-orders").json() == {
            "success": True,
            "orders": [row],
            "count": 1,
        }
    assert as_user(GROUP_ADMIN).get("/api/return/stations/3/active-orders").json()["count"] == 0
    missing = as_user(USER).get("/api/return/stations/99/active-orders")
    assert (missing.status_code, missing.json()) == (404, {"success": False, "error": "Станция не найдена"})
