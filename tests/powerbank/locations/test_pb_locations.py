"""`/api/powerbanks-status` and its aliases: where each bank of the scope is."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete

from opsuite.core.db import Database
from opsuite.powerbank.orders.models import Order
from opsuite.powerbank.powerbanks.models import Powerbank
from opsuite.powerbank.stations.models import StationPowerbank
from tests.clock import FakeClock
from tests.powerbank.helpers import START, Api

USER_ID = 4


def _rent(database: Database, bank_id: int, hours_ago: float) -> None:
    """Bank `bank_id` leaves its slot in a `borrow` order of the demo user."""
    with database.session() as session:
        session.execute(delete(StationPowerbank).where(StationPowerbank.powerbank_id == bank_id))
        when = START - dt.timedelta(hours=hours_ago)
        session.add(
            Order(
                user_id=USER_ID,
                powerbank_id=bank_id,
                station_id=1,
                status="borrow",
                timestamp=when,
                borrowed_at=when,
            )
        )


def test_locations_rows_and_summary(database: Database, group_admin: Api, clock: FakeClock) -> None:
    _rent(database, 1, hours_ago=2)
    _rent(database, 2, hours_ago=30)
    with database.session() as session:
        session.execute(delete(StationPowerbank).where(StationPowerbank.powerbank_id == 3))
        bank = session.get(Powerbank, 3)
        assert bank is not None
        bank.status = "written_off"
        session.execute(delete(StationPowerbank).where(StationPowerbank.powerbank_id == 4))
    summary = group_admin.get("/api/powerbanks-status/summary").json()["data"]
    assert summary == {
        "in_station": 10,
        "in_use": 1,
        "not_returned": 1,
        "written_off": 1,
        "unknown_location": 1,
    }
    assert group_admin.get("/api/powerbanks/status/summary").json()["data"] == summary
    in_use = group_admin.get("/api/powerbanks-status", params={"status_filter": "in_use"}).json()
    assert in_use["pagination"] == {"page": 1, "limit": 50, "total": 1, "pages": 1}
    assert in_use["data"][0] == {
        "powerbank_id": 1,
        "serial_number": "4443484154000101",
        "status": "in_use",
        "station_id": 1,
        "user_id": USER_ID,
        "borrow_time": "2026-03-10T10:00:00+03:00",
        "completed_at": None,
        "station_name": "ST001",
        "user_name": "Иван Пользователь",
        "user_phone": "+79000000004",
        "user_email": "user@example.com",
        "org_unit_name": "Головной офис",
    }
    late = group_admin.get("/api/powerbanks/status", params={"status": "not_returned"}).json()["data"]
    assert [row["powerbank_id"] for row in late] == [2]
    one = group_admin.get("/api/powerbanks/12/status").json()["data"]
    assert (one["status"], one["station_id"], one["station_name"]) == ("in_station", 3, "ST003")
    assert group_admin.get("/api/powerbanks-status/3").json()["data"]["status"] == "written_off"
    clock.advance(hours=23)
    assert group_admin.get("/api/powerbanks-status/1").json()["data"]["status"] == "not_returned"


def test_locations_are_scoped(subgroup_admin: Api, user: Api, service_admin: Api) -> None:
    assert subgroup_admin.get("/api/powerbanks-status").json()["pagination"]["total"] == 0
    assert subgroup_admin.get("/api/powerbanks-status/1").status_code == 403
    assert user.get("/api/powerbanks-status").status_code == 403
    missing = service_admin.get("/api/powerbanks-status/99")
    assert missing.json() == {"success": False, "error": "Повербанк не найден"}
