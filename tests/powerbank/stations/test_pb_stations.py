"""`/api/stations`: scoped lists (users see the stations they may use), CRUD for group admins and above."""

from __future__ import annotations

from tests.powerbank.helpers import Api

GROUP, SUBGROUP = 1, 2
ST001, ST002, ST003 = 1, 2, 3


def test_list_rows_and_scope(service_admin: Api, subgroup_admin: Api, user: Api) -> None:
    body = service_admin.get("/api/stations", params={"limit": 10000}).json()
    assert body["pagination"] == {"page": 1, "limit": 10000, "total": 3, "pages": 1}
    assert body["data"][0] == {
        "station_id": ST001,
        "org_unit_id": SUBGROUP,
        "org_unit_name": "Отдел продаж",
        "box_id": "ST001",
        "iccid": None,
        "slots_declared": 8,
        "remain_num": 6,
        "last_seen": None,
        "created_at": "2026-03-10T12:00:00+03:00",
        "updated_at": None,
        "status": "active",
        "online": False,
    }
    assert [row["remain_num"] for row in body["data"]] == [6, 5, 3]
    sub = subgroup_admin.get("/api/stations").json()["data"]
    assert [row["station_id"] for row in sub] == [ST001, ST002]
    assert [row["station_id"] for row in user.get("/api/stations").json()["data"]] == [ST001, ST002]
    filtered = service_admin.get("/api/stations", params={"org_unit_id": GROUP}).json()["data"]
    assert [row["box_id"] for row in filtered] == ["ST003"]


def test_read_one_in_and_out_of_scope(subgroup_admin: Api, user: Api) -> None:
    assert subgroup_admin.get(f"/api/stations/{ST002}").json()["data"]["box_id"] == "ST002"
    outside = user.get(f"/api/stations/{ST003}")
    assert outside.status_code == 403
    assert outside.json() == {"success": False, "error": "Объект вне зоны ответственности администратора"}
    missing = subgroup_admin.get("/api/stations/99")
    assert missing.status_code == 404
    assert missing.json() == {"success": False, "error": "Станция не найдена"}


def test_create_update_delete(group_admin: Api, subgroup_admin: Api) -> None:
    new = {"org_unit_id": SUBGROUP, "box_id": "DCHEY02504000018", "slots_declared": 4}
    assert subgroup_admin.post("/api/stations", json=new).status_code == 403
    created = group_admin.post("/api/stations", json=new)
    assert created.status_code == 201
    body = created.json()
    assert body["message"] == "Станция создана"
    assert body["station_id"] == 4
    assert body["data"]["status"] == "pending"
    assert body["data"]["remain_num"] == 0
    duplicate = group_admin.post("/api/stations", json={**new, "box_id": "dchey02504000018"})
    assert duplicate.status_code == 400
    assert duplicate.json()["error"] == "Станция с таким box_id уже существует"

    changed = group_admin.put("/api/stations/4", json={"status": "active", "iccid": "8970199"})
    assert changed.status_code == 200
    data = changed.json()["data"]
    assert (data["status"], data["iccid"], data["slots_declared"]) == ("active", "8970199", 4)
    assert data["updated_at"] == "2026-03-10T12:00:00+03:00"

    assert group_admin.delete("/api/stations/4").json()["message"] == "Станция удалена"
    assert group_admin.get("/api/stations/4").status_code == 404


def test_refusals(group_admin: Api, service_admin: Api) -> None:
    shrink = group_admin.put(f"/api/stations/{ST001}", json={"slots_declared": 4})
    assert shrink.status_code == 400
    assert shrink.json()["error"] == "В станции есть повербанки в слотах с номером больше slots_declared"
    busy = group_admin.delete(f"/api/stations/{ST001}")
    assert busy.status_code == 400
    assert busy.json()["error"] == "У станции есть заказы или повербанки в слотах"
    bad = service_admin.post("/api/stations", json={"box_id": "X", "slots_declared": 0})
    assert bad.status_code == 400
    assert bad.json()["details"][0]["field"] == "slots_declared"
    unknown_unit = service_admin.post(
        "/api/stations", json={"org_unit_id": 77, "box_id": "X", "slots_declared": 2}
    )
    assert unknown_unit.json() == {"success": False, "error": "Организационная единица не найдена"}
