"""`/api/user-roles` (one membership per user, within the admin's reach) and `/api/user-favorites` (own only)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.powerbank.helpers import USER, Api, login

GROUP, SUBGROUP = 1, 2
GROUP_ADMIN_ID, SUBGROUP_ADMIN_ID, USER_ID = 2, 3, 4
ST001, ST003 = 1, 3


def test_roles_list_is_scoped(service_admin: Api, subgroup_admin: Api, user: Api) -> None:
    everything = service_admin.get("/api/user-roles", params={"limit": 10000}).json()
    assert [(row["user_id"], row["role"]) for row in everything["data"]] == [
        (1, "service_admin"),
        (2, "group_admin"),
        (3, "subgroup_admin"),
        (4, "user"),
    ]
    assert everything["data"][3] == {
        "id": 4,
        "role_id": 4,
        "user_id": USER_ID,
        "role": "user",
        "org_unit_id": SUBGROUP,
        "org_unit_name": "Отдел продаж",
        "created_at": "2026-03-10T12:00:00+03:00",
    }
    mine = subgroup_admin.get("/api/user-roles", params={"role": "user"}).json()["data"]
    assert [row["user_id"] for row in mine] == [USER_ID]
    assert user.get("/api/user-roles").status_code == 403


def test_a_second_post_replaces_the_membership(client: TestClient, group_admin: Api) -> None:
    body = {"user_id": USER_ID, "role": "subgroup_admin", "org_unit_id": SUBGROUP, "admin_user_id": 1}
    response = group_admin.post("/api/user-roles", json=body)
    assert response.status_code == 201
    assert response.json()["role_id"] == 4
    assert response.json()["data"]["role"] == "subgroup_admin"
    assert login(client, USER).get("/api/auth/profile").json()["user"]["role"] == "subgroup_admin"


def test_roles_stay_within_reach(group_admin: Api, subgroup_admin: Api) -> None:
    too_high = group_admin.post(
        "/api/user-roles", json={"user_id": USER_ID, "role": "group_admin", "org_unit_id": GROUP}
    )
    assert too_high.status_code == 403
    peer = subgroup_admin.post("/api/user-roles", json={"user_id": SUBGROUP_ADMIN_ID, "role": "user"})
    assert peer.status_code == 403
    above = group_admin.delete(f"/api/user-roles/{GROUP_ADMIN_ID}")
    assert above.status_code == 403
    assert group_admin.delete("/api/user-roles/99").status_code == 404


def test_revoking_leaves_a_plain_user_without_a_unit(client: TestClient, group_admin: Api) -> None:
    response = group_admin.delete(f"/api/user-roles/{USER_ID}")
    assert response.status_code == 200
    assert response.json()["message"] == "Роль удалена"
    profile = login(client, USER).get("/api/auth/profile").json()["user"]
    assert (profile["role"], profile["parent_org_unit_id"]) == ("user", None)


def test_favorites_are_own_and_unique(user: Api, group_admin: Api) -> None:
    added = user.post("/api/user-favorites", json={"user_id": USER_ID, "station_id": ST001, "nik": "У входа"})
    assert added.status_code == 201
    row = added.json()["data"]
    assert row == {
        "id": 1,
        "favorite_id": 1,
        "user_id": USER_ID,
        "station_id": ST001,
        "nik": "У входа",
        "created_at": "2026-03-10T12:00:00+03:00",
        "station_box_id": "ST001",
        "station_status": "active",
    }
    again = user.post("/api/user-favorites", json={"station_id": ST001})
    assert again.status_code == 400
    assert again.json() == {"success": False, "error": "Станция уже в избранном"}
    listed = user.get("/api/user-favorites").json()
    assert listed["data"] == listed["favorites"] == [row]
    assert listed["count"] == 1
    assert group_admin.get("/api/user-favorites").json()["count"] == 0
    assert group_admin.get("/api/user-favorites", params={"user_id": USER_ID}).status_code == 403
    assert group_admin.delete("/api/user-favorites/1").status_code == 404
    assert user.delete("/api/user-favorites/1").json()["message"] == "Станция удалена из избранного"
    assert user.get("/api/user-favorites").json()["count"] == 0


def test_favorites_need_a_usable_station(user: Api) -> None:
    assert user.post("/api/user-favorites", json={"station_id": ST003}).status_code == 403
    missing = user.post("/api/user-favorites", json={"station_id": 99})
    assert missing.status_code == 404
    assert missing.json()["error"] == "Станция не найдена"
    assert user.post("/api/user-favorites", json={"user_id": 1, "station_id": ST001}).status_code == 403
