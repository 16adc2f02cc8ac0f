"""`/api/powerbanks`: scoped lists, CRUD for group admins and above, approval of `unknown` banks."""

from __future__ import annotations

from opsuite.powerbank.powerbanks.serials import canonical_serial, display_serial
from tests.powerbank.helpers import Api

GROUP, SUBGROUP = 1, 2


def test_serial_forms() -> None:
    assert canonical_serial("DCHA54000016") == "4443484154000016"
    assert canonical_serial("4443484154000016") == "4443484154000016"
    assert canonical_serial("abcdef0123456789") == "ABCDEF0123456789"
    assert display_serial("4443484154000016") == "DCHA54000016"
    assert display_serial("0011223344556677") is None


def test_list_rows_and_scope(service_admin: Api, group_admin: Api, subgroup_admin: Api, user: Api) -> None:
    body = service_admin.get("/api/powerbanks", params={"limit": 10000}).json()
    assert body["pagination"]["total"] == 14
    assert body["data"][0] == {
        "id": 1,
        "powerbank_id": 1,
        "org_unit_id": GROUP,
        "org_unit_name": "Головной офис",
        "serial_number": "4443484154000101",
        "display_serial": None,
        "soh": 100,
        "status": "active",
        "write_off_reason": "none",
        "created_at": "2026-03-10T12:00:00+03:00",
    }
    assert group_admin.get("/api/powerbanks").json()["pagination"]["total"] == 14
    assert subgroup_admin.get("/api/powerbanks").json()["pagination"]["total"] == 0
    assert subgroup_admin.get("/api/powerbanks/1").status_code == 403
    assert user.get("/api/powerbanks").status_code == 403
    assert service_admin.get("/api/powerbanks", params={"status": "unknown"}).json()["data"] == []


def test_create_update_approve_delete(group_admin: Api, subgroup_admin: Api) -> None:
    new = {"serial_number": "DCHA54000016", "org_unit_id": SUBGROUP}
    assert subgroup_admin.post("/api/powerbanks", json=new).status_code == 403
    created = group_admin.post("/api/powerbanks", json=new)
    assert created.status_code == 201
    body = created.json()
    assert (body["id"], body["powerbank_id"], body["message"]) == (15, 15, "Повербанк создан")
    assert body["data"]["serial_number"] == "4443484154000016"
    assert body["data"]["display_serial"] == "DCHA54000016"
    assert body["data"]["status"] == "unknown"
    duplicate = group_admin.post("/api/powerbanks", json={**new, "serial_number": "4443484154000016"})
    assert duplicate.json() == {
        "success": False,
        "error": "Повербанк с таким серийным номером уже существует",
    }

    changed = group_admin.put("/api/powerbanks/15", json={"soh": 87}).json()["data"]
    assert (changed["soh"], changed["status"], changed["org_unit_id"]) == (87, "unknown", SUBGROUP)

    approved = group_admin.put("/api/powerbanks/15/approve", json={"org_unit_id": GROUP, "soh": 90})
    assert approved.status_code == 200
    assert approved.json()["message"] == "Повербанк активирован"
    assert (approved.json()["data"]["status"], approved.json()["data"]["soh"]) == ("active", 90)
    twice = group_admin.put("/api/powerbanks/15/approve", json={"org_unit_id": GROUP})
    assert twice.json()["error"] == "Подтвердить можно только повербанк в статусе unknown"

    assert group_admin.delete("/api/powerbanks/15").json()["message"] == "Повербанк удален"
    assert group_admin.get("/api/powerbanks/15").status_code == 404


def test_refusals(service_admin: Api) -> None:
    in_slot = service_admin.delete("/api/powerbanks/1")
    assert in_slot.status_code == 400
    assert in_slot.json()["error"] == "Повербанк находится в станции: сначала извлеките его"
    bad = service_admin.post("/api/powerbanks", json={"serial_number": "XYZ"})
    assert bad.status_code == 400
    assert bad.json()["details"][0]["field"] == "serial_number"
    assert service_admin.put("/api/powerbanks/1", json={"status": "lost"}).status_code == 400
    service_admin.put("/api/powerbanks/12", json={"status": "unknown", "org_unit_id": GROUP})
    # bank 12 sits in ST003 (the group's station): a subgroup's bank may not be lent there
    unfit = service_admin.put("/api/powerbanks/12/approve", json={"org_unit_id": SUBGROUP})
    assert unfit.json()["error"] == (
        "Повербанк этой организационной единицы нельзя выдавать из станции, в которой он находится"
    )
