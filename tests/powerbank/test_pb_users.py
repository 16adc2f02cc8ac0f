"""Approval and rejection, and `/api/users` by role and scope."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.powerbank.helpers import PENDING, Api, login

GROUP, SUBGROUP = 1, 2
SERVICE_ID, GROUP_ADMIN_ID, SUBGROUP_ADMIN_ID, USER_ID, PENDING_ID = 1, 2, 3, 4, 5


def new_user(**fields: object) -> dict[str, object]:
    body: dict[str, object] = {
        "fio": "Мария Новая",
        "phone_e164": "+79005550010",
        "email": "maria@example.com",
        "role": "user",
        "status": "active",
        "password": "maria123",
    }
    body.update(fields)
    return body


def test_pending_users_are_listed_for_approvers_only(
    group_admin: Api, subgroup_admin: Api, user: Api
) -> None:
    answer = group_admin.get("/api/admin/pending-users").json()
    assert answer["count"] == 1
    assert answer["users"] == [
        {
            "user_id": PENDING_ID,
            "phone_e164": PENDING,
            "email": "pending@example.com",
            "fio": "Петр Ожидающий",
            "status": "pending",
            "created_at": "2026-03-10T12:00:00+03:00",
        }
    ]
    assert answer["data"]["users"] == answer["users"]
    for caller in (subgroup_admin, user):
        refused = caller.get("/api/admin/pending-users")
        assert refused.status_code == 403
        assert refused.json() == {"success": False, "error": "Доступ запрещен"}


def test_approval_applies_role_and_unit_and_lets_the_user_log_in(
    client: TestClient, group_admin: Api
) -> None:
    body = {"user_id": PENDING_ID, "role": "subgroup_admin", "org_unit_id": SUBGROUP, "admin_user_id": 999}
    response = group_admin.post("/api/admin/approve-user", json=body)
    assert response.status_code == 200
    assert response.json()["message"] == "Пользователь одобрен"
    profile = login(client, PENDING).get("/api/auth/profile").json()["user"]
    assert (profile["status"], profile["role"], profile["parent_org_unit_id"]) == (
        "active",
        "subgroup_admin",
        SUBGROUP,
    )
    again = group_admin.post("/api/admin/approve-user", json=body)
    assert again.status_code == 400
    assert again.json()["error"] == "Пользователь не ожидает подтверждения"


def test_approval_refuses_a_role_above_the_approvers_reach(group_admin: Api) -> None:
    body = {"user_id": PENDING_ID, "role": "group_admin", "org_unit_id": GROUP}
    response = group_admin.post("/api/admin/approve-user", json=body)
    assert response.status_code == 403
    assert response.json()["error"] == "Нельзя назначить роль выше допустимой"


def test_rejection_blocks_and_keeps_the_reason(client: TestClient, service_admin: Api) -> None:
    response = service_admin.post(
        "/api/admin/reject-user", json={"user_id": PENDING_ID, "reason": "Неверные данные"}
    )
    assert response.status_code == 200
    assert response.json()["data"] == {
        "user_id": PENDING_ID,
        "status": "blocked",
        "reason": "Неверные данные",
    }
    refused = client.post("/api/auth/login", json={"phone_e164": PENDING, "password": "demo1234"})
    assert refused.status_code == 401
    missing = service_admin.post("/api/admin/reject-user", json={"user_id": 999})
    assert missing.status_code == 404
    assert missing.json() == {"success": False, "error": "Пользователь не найден"}


def test_users_list_is_scoped_and_paginated(
    service_admin: Api, group_admin: Api, subgroup_admin: Api
) -> None:
    everyone = service_admin.get("/api/users", params={"limit": 2, "page": 2}).json()
    assert everyone["pagination"] == {"page": 2, "limit": 2, "total": 5, "pages": 3}
    assert [row["user_id"] for row in everyone["data"]] == [3, 4]
    row = everyone["data"][1]
    assert row == {
        "user_id": USER_ID,
        "phone_e164": "+79000000004",
        "email": "user@example.com",
        "fio": "Иван Пользователь",
        "created_at": "2026-03-10T12:00:00+03:00",
        "last_login_at": None,
        "status": "active",
        "role": "user",
        "parent_org_unit_id": SUBGROUP,
        "powerbank_limit": None,
        "individual_limit": None,
        "group_default_limit": 1,
        "group_name": "Отдел продаж",
    }
    by_group_admin = group_admin.get("/api/users", params={"limit": 10000}).json()["data"]
    assert [row["user_id"] for row in by_group_admin] == [2, 3, 4, 5]
    by_subgroup_admin = subgroup_admin.get("/api/users", params={"limit": 100000}).json()
    assert [row["user_id"] for row in by_subgroup_admin["data"]] == [3, 4]
    assert by_subgroup_admin["pagination"]["limit"] == 10000
    admins = service_admin.get("/api/users", params={"role": "user", "status": "active"}).json()["data"]
    assert [row["user_id"] for row in admins] == [4]


def test_a_plain_user_may_not_list_users(user: Api) -> None:
    assert user.get("/api/users").status_code == 403
    assert user.get(f"/api/users/{USER_ID}").status_code == 403


def test_a_bad_filter_is_400(service_admin: Api) -> None:
    response = service_admin.get("/api/users", params={"role": "king"})
    assert response.status_code == 400
    assert response.json()["details"][0]["field"] == "role"


def test_group_admin_creates_a_user_in_scope_and_not_elsewhere(client: TestClient, group_admin: Api) -> None:
    created = group_admin.post("/api/users", json=new_user(parent_org_unit_id="", individual_limit=3))
    assert created.status_code == 201
    answer = created.json()
    assert answer["user_id"] == answer["data"]["user_id"] == 6
    assert answer["data"]["parent_org_unit_id"] == GROUP  # '' is none: the creator's own unit
    assert answer["data"]["individual_limit"] == 3
    assert login(client, "+79005550010", "maria123").get("/api/auth/profile").status_code == 200
    too_high = group_admin.post(
        "/api/users", json=new_user(phone_e164="+79005550011", email="a@b.ru", role="group_admin")
    )
    assert too_high.status_code == 403
    duplicate = group_admin.post("/api/users", json=new_user(email="other@example.com"))
    assert duplicate.status_code == 400


def test_subgroup_admin_cannot_reach_the_parent_group(subgroup_admin: Api) -> None:
    outside = subgroup_admin.post("/api/users", json=new_user(parent_org_unit_id=GROUP))
    assert outside.status_code == 403
    assert outside.json()["error"] == "Объект вне зоны ответственности администратора"
    assert subgroup_admin.get(f"/api/users/{GROUP_ADMIN_ID}").status_code == 403
    assert subgroup_admin.get("/api/users/999").status_code == 404


def test_replace_blocks_a_user_and_ends_the_users_tokens(service_admin: Api, user: Api) -> None:
    body = new_user(
        phone_e164="+79000000004", email="user@example.com", status="blocked", parent_org_unit_id=SUBGROUP
    )
    body.pop("password")
    response = service_admin.put(f"/api/users/{USER_ID}", json=body)
    assert response.status_code == 200
    assert response.json()["data"]["status"] == "blocked"
    assert response.json()["data"]["fio"] == "Мария Новая"
    assert user.get("/api/auth/profile").status_code == 401


def test_subgroup_admin_may_not_activate_a_pending_user_nor_manage_an_admin(subgroup_admin: Api) -> None:
    body = new_user(phone_e164="+79000000004", email="user@example.com", parent_org_unit_id=SUBGROUP)
    assert subgroup_admin.put(f"/api/users/{SUBGROUP_ADMIN_ID}", json=body).status_code == 403
    assert subgroup_admin.put(f"/api/users/{PENDING_ID}", json=body).status_code == 403


def test_delete_removes_a_user_without_history_never_oneself(service_admin: Api) -> None:
    own = service_admin.delete(f"/api/users/{SERVICE_ID}")
    assert own.status_code == 403
    assert (
        own.json()["error"] == "Свою учетную запись меняют в профиле, а роль и статус — другой администратор"
    )
    assert (
        service_admin.put(f"/api/users/{SERVICE_ID}", json=new_user(role="service_admin")).status_code == 403
    )
    deleted = service_admin.delete(f"/api/users/{PENDING_ID}")
    assert deleted.status_code == 200
    assert deleted.json()["message"] == "Пользователь удален"
    assert service_admin.get(f"/api/users/{PENDING_ID}").status_code == 404
