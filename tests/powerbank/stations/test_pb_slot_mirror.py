"""`/api/station-powerbanks`: manual slot-mirror edits by the service admin."""

from __future__ import annotations

from tests.powerbank.helpers import Api

ST001, ST003 = 1, 3


def test_list_add_delete(service_admin: Api, group_admin: Api) -> None:
    rows = service_admin.get("/api/station-powerbanks", params={"station_id": ST003}).json()
    assert rows["count"] == 3
    assert rows["data"][0] == {
        "id": 12,
        "sp_id": 12,
        "station_id": ST003,
        "slot_number": 1,
        "powerbank_id": 12,
        "serial_number": "4443484154000301",
        "level": 100,
        "voltage": 4110,
        "current": 0,
        "temperature": 30,
        "soh": 100,
        "lendable": True,
        "quarantined": False,
        "updated_at": "2026-03-10T12:00:00+03:00",
    }
    assert service_admin.delete("/api/station-powerbanks/12").json()["message"] == "Запись слота удалена"
    placed = service_admin.post(
        "/api/station-powerbanks",
        json={"station_id": ST003, "powerbank_id": 12, "slot_number": 4, "level": 55},
    )
    assert placed.status_code == 201
    assert (placed.json()["data"]["slot_number"], placed.json()["data"]["level"]) == (4, 55)
    assert service_admin.get(f"/api/stations/{ST003}").json()["data"]["remain_num"] == 3
    assert group_admin.get("/api/station-powerbanks").status_code == 403


def test_refusals(service_admin: Api) -> None:
    def place(station: int, bank: int, slot: int) -> dict:
        body = {"station_id": station, "powerbank_id": bank, "slot_number": slot}
        return service_admin.post("/api/station-powerbanks", json=body).json()

    assert place(ST003, 12, 5)["error"] == "Номер слота вне диапазона станции"
    assert place(ST003, 1, 2)["error"] == "Слот уже занят"
    assert place(ST003, 1, 4)["error"] == "Повербанк уже находится в слоте"
    assert place(ST003, 99, 4)["error"] == "Повербанк не найден"
    assert service_admin.delete("/api/station-powerbanks/99").status_code == 404
