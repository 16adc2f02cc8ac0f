"""`/api/slot-abnormal-reports`: entry by the service admin, scoped reads, the client's extra routes."""

from __future__ import annotations

from tests.clock import FakeClock
from tests.powerbank.helpers import Api

ST001, ST003 = 1, 3


def _report(api: Api, station_id: int, slot: int, event: str, reported_at: str | None = None) -> dict:
    body = {
        "station_id": station_id,
        "slot_number": slot,
        "terminal_id": "4443484154000101",
        "event_type": event,
    }
    if reported_at is not None:
        body["reported_at"] = reported_at
    response = api.post("/api/slot-abnormal-reports", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_create_and_read(service_admin: Api, subgroup_admin: Api, group_admin: Api) -> None:
    created = _report(service_admin, ST001, 2, "1")
    assert created == {
        "success": True,
        "message": "Отчет об аномалии слота создан",
        "data": {
            "report_id": 1,
            "station_id": ST001,
            "slot_number": 2,
            "terminal_id": "4443484154000101",
            "event_type": "1",
            "event_text": "Повербанк извлечен без команды разблокировки",
            "reported_at": "2026-03-10T12:00:00+03:00",
            "created_at": "2026-03-10T12:00:00+03:00",
        },
        "report_id": 1,
    }
    _report(service_admin, ST003, 1, "2", reported_at="2026-03-08T10:00:00+03:00")
    listed = group_admin.get("/api/slot-abnormal-reports").json()
    assert [row["report_id"] for row in listed["reports"]] == [1, 2]
    assert listed["data"] == listed["reports"]
    assert listed["pagination"] == {"page": 1, "limit": 50, "total": 2, "pages": 1}
    assert [
        row["report_id"] for row in subgroup_admin.get("/api/slot-abnormal-reports").json()["reports"]
    ] == [1]
    dated = group_admin.get("/api/slot-abnormal-reports", params={"start_date": "2026-03-09"}).json()
    assert [row["report_id"] for row in dated["reports"]] == [1]
    before = group_admin.get(
        "/api/slot-abnormal-reports", params={"end_date": "2026-03-08", "event_type": "2"}
    )
    assert [row["report_id"] for row in before.json()["reports"]] == [2]
    station = subgroup_admin.get(f"/api/slot-abnormal-reports/stations/{ST001}", params={"limit": 5}).json()
    assert (station["station_id"], station["reports_count"]) == (ST001, 1)
    assert subgroup_admin.get("/api/slot-abnormal-reports/2").status_code == 403
    assert subgroup_admin.get("/api/slot-abnormal-reports/1").json()["data"]["slot_number"] == 2


def test_statistics_and_delete(
    service_admin: Api, group_admin: Api, subgroup_admin: Api, clock: FakeClock
) -> None:
    _report(service_admin, ST001, 1, "1")
    _report(service_admin, ST001, 3, "2")
    _report(service_admin, ST003, 1, "1", reported_at="2026-03-01T10:00:00+03:00")
    assert group_admin.get("/api/slot-abnormal-reports/statistics").json()["statistics"] == {
        "total_reports": 3,
        "stations_with_reports": 2,
        "reports_today": 2,
        "event_type_1": 2,
        "event_type_2": 1,
    }
    assert subgroup_admin.delete("/api/slot-abnormal-reports/1").status_code == 403
    deleted = group_admin.delete("/api/slot-abnormal-reports/1")
    assert deleted.json()["message"] == "Отчет об аномалии слота удален"
    missing = group_admin.get("/api/slot-abnormal-reports/1")
    assert missing.json() == {"success": False, "error": "Отчет об аномалии слота не найден"}


def test_entry_refusals(service_admin: Api, group_admin: Api) -> None:
    body = {"station_id": ST003, "slot_number": 5, "event_type": "1"}
    out_of_range = service_admin.post("/api/slot-abnormal-reports", json=body)
    assert out_of_range.json() == {"success": False, "error": "Номер слота вне диапазона станции"}
    assert group_admin.post("/api/slot-abnormal-reports", json={**body, "slot_number": 1}).status_code == 403
    assert (
        service_admin.post("/api/slot-abnormal-reports", json={**body, "event_type": "3"}).status_code == 400
    )
    assert (
        service_admin.post("/api/slot-abnormal-reports", json={**body, "station_id": 99}).status_code == 404
    )
