"""`/api/org-units`: the tree's rules, scope, soft delete."""

from __future__ import annotations

from tests.powerbank.helpers import Api

GROUP, SUBGROUP = 1, 2

SALES_ROW = {
    "org_unit_id": SUBGROUP,
    "parent_org_unit_id": GROUP,
    "parent_name": "Головной офис",
    "unit_type": "subgroup",
    "name": "Отдел продаж",
    "adress": None,
    "logo_url": None,
    "default_powerbank_limit": 1,
    "reminder_hours": 24,
    "write_off_hours": 48,
    "created_at": "2026-03-10T12:00:00+03:00",
}


def test_list_shows_each_caller_what_it_reads(service_admin: Api, subgroup_admin: Api, user: Api) -> None:
    everything = service_admin.get("/api/org-units", params={"limit": 10000}).json()
    assert [row["org_unit_id"] for row in everything["data"]] == [GROUP, SUBGROUP]
    assert everything["data"][1] == SALES_ROW
    assert everything["pagination"] == {"page": 1, "limit": 10000, "total": 2, "pages": 1}
    assert [row["org_unit_id"] for row in subgroup_admin.get("/api/org-units").json()["data"]] == [SUBGROUP]
    assert [row["org_unit_id"] for row in user.get("/api/org-units").json()["data"]] == [SUBGROUP]
    subgroups = service_admin.get(
        "/api/org-units", params={"unit_type": "subgroup", "parent_id": GROUP}
    ).json()
    assert [row["org_unit_id"] for row in subgroups["data"]] == [SUBGROUP]


def test_read_one_is_404_unknown_and_403_outside(service_admin: Api, user: Api) -> None:
    assert service_admin.get(f"/api/org-units/{SUBGROUP}").json()["data"] == SALES_ROW
    assert user.get(f"/api/org-units/{GROUP}").status_code == 403
    missing = service_admin.get("/api/org-units/99")
    assert missing.status_code == 404
    assert missing.json() == {"success": False, "error": "Организационная единица не найдена"}


def test_create_keeps_the_limits_and_accepts_address(group_admin: Api) -> None:
    body = {
        "parent_org_unit_id": GROUP,
        "unit_type": "subgroup",
        "name": "Склад",
        "address": "Москва, ул. Примерная, 1",
        "default_powerbank_limit": 3,
        "reminder_hours": 12,
    }
    response = group_admin.post("/api/org-units", json=body)
    assert response.status_code == 201
    answer = response.json()
    assert answer["org_unit_id"] == answer["data"]["org_unit_id"] == 3
    assert answer["data"]["adress"] == "Москва, ул. Примерная, 1"
    assert (answer["data"]["default_powerbank_limit"], answer["data"]["reminder_hours"]) == (3, 12)
    assert answer["data"]["parent_name"] == "Головной офис"


def test_the_tree_has_two_levels(service_admin: Api) -> None:
    cases = [
        (
            {"unit_type": "group", "name": "Г", "parent_org_unit_id": GROUP},
            "У группы не может быть родительской группы",
        ),
        ({"unit_type": "subgroup", "name": "П"}, "Родителем подгруппы должна быть группа"),
        (
            {"unit_type": "subgroup", "name": "П", "parent_org_unit_id": SUBGROUP},
            "Родителем подгруппы должна быть группа",
        ),
    ]
    for body, error in cases:
        response = service_admin.post("/api/org-units", json=body)
        assert response.status_code == 400, body
        assert response.json()["error"] == error
    group = service_admin.post("/api/org-units", json={"unit_type": "group", "name": "Филиал"})
    assert group.status_code == 201
    assert group.json()["data"]["parent_org_unit_id"] is None


def test_groups_are_the_service_admins_and_subgroups_need_scope(
    group_admin: Api, subgroup_admin: Api
) -> None:
    assert group_admin.post("/api/org-units", json={"unit_type": "group", "name": "Свой"}).status_code == 403
    body = {"unit_type": "subgroup", "name": "Новая", "parent_org_unit_id": GROUP}
    assert subgroup_admin.post("/api/org-units", json=body).status_code == 403


def test_update_changes_only_what_is_sent(group_admin: Api) -> None:
    response = group_admin.put(f"/api/org-units/{SUBGROUP}", json={"name": "Продажи", "reminder_hours": 6})
    assert response.status_code == 200
    assert response.json()["data"] == {**SALES_ROW, "name": "Продажи", "reminder_hours": 6}
    refused = group_admin.put(
        f"/api/org-units/{GROUP}", json={"unit_type": "subgroup", "parent_org_unit_id": SUBGROUP}
    )
    assert refused.status_code == 403


def test_a_group_with_subgroups_cannot_become_one(service_admin: Api) -> None:
    other = service_admin.post("/api/org-units", json={"unit_type": "group", "name": "Филиал"}).json()[
        "org_unit_id"
    ]
    body = {"unit_type": "subgroup", "parent_org_unit_id": other}
    response = service_admin.put(f"/api/org-units/{GROUP}", json=body)
    assert response.status_code == 400
    assert response.json()["error"] == "У группы есть подгруппы"


def test_delete_refuses_a_unit_in_use_and_soft_deletes_an_empty_one(
    service_admin: Api, group_admin: Api
) -> None:
    in_use = service_admin.delete(f"/api/org-units/{SUBGROUP}")
    assert in_use.status_code == 400
    assert (
        in_use.json()["error"]
        == "К организационной единице привязаны подгруппы, пользователи, станции или повербанки"
    )
    empty = group_admin.post(
        "/api/org-units", json={"unit_type": "subgroup", "name": "Пустая", "parent_org_unit_id": GROUP}
    )
    unit_id = empty.json()["org_unit_id"]
    assert (
        group_admin.delete(f"/api/org-units/{unit_id}").json()["message"] == "Организационная единица удалена"
    )
    assert group_admin.get(f"/api/org-units/{unit_id}").status_code == 404
    assert group_admin.delete(f"/api/org-units/{GROUP}").status_code == 403
