"""The permission matrix of the routes of users, approval, org units, roles and favourites, by role."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.powerbank.helpers import Api, bearer

ROLES = ("user", "subgroup_admin", "group_admin", "service_admin")
USER_IDS = dict(zip(ROLES, (4, 3, 2, 1), strict=True))
"""The demo people's ids."""
SUBGROUP_BODY = {"unit_type": "subgroup", "name": "Новая", "parent_org_unit_id": 1}

# (method, path, body) -> status for user, subgroup_admin, group_admin, service_admin
MATRIX: list[tuple[str, str, Any, tuple[int, int, int, int]]] = [
    ("GET", "/api/auth/profile", None, (200, 200, 200, 200)),
    ("GET", "/api/user/profile", None, (200, 200, 200, 200)),
    ("GET", "/api/admin/pending-users", None, (403, 403, 200, 200)),
    (
        "POST",
        "/api/admin/approve-user",
        {"user_id": 5, "role": "user", "org_unit_id": 2},
        (403, 403, 200, 200),
    ),
    ("POST", "/api/admin/reject-user", {"user_id": 5}, (403, 403, 200, 200)),
    ("GET", "/api/users", None, (403, 200, 200, 200)),
    ("GET", "/api/users/4", None, (403, 200, 200, 200)),
    ("GET", "/api/users/2", None, (403, 403, 200, 200)),
    ("DELETE", "/api/users/5", None, (403, 403, 200, 200)),
    ("GET", "/api/org-units", None, (200, 200, 200, 200)),
    ("GET", "/api/org-units/1", None, (403, 403, 200, 200)),
    ("GET", "/api/org-units/2", None, (200, 200, 200, 200)),
    ("POST", "/api/org-units", SUBGROUP_BODY, (403, 403, 201, 201)),
    ("POST", "/api/org-units", {"unit_type": "group", "name": "Новая"}, (403, 403, 403, 201)),
    ("PUT", "/api/org-units/2", {"name": "Продажи"}, (403, 403, 200, 200)),
    ("GET", "/api/user-roles", None, (403, 200, 200, 200)),
    ("POST", "/api/user-roles", {"user_id": 4, "role": "user", "org_unit_id": 2}, (403, 201, 201, 201)),
    ("DELETE", "/api/user-roles/4", None, (403, 200, 200, 200)),
    ("DELETE", "/api/user-roles/2", None, (403, 403, 403, 200)),
    ("GET", "/api/user-favorites", None, (200, 200, 200, 200)),
    ("POST", "/api/user-favorites", {"station_id": 3}, (403, 403, 201, 201)),
]
CASES = [
    pytest.param(method, path, body, role, statuses[index], id=f"{method} {path} as {role}")
    for method, path, body, statuses in MATRIX
    for index, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("method", "path", "body", "role", "status"), CASES)
def test_each_role_gets_its_status(
    client: TestClient, method: str, path: str, body: Any, role: str, status: int
) -> None:
    caller = bearer(client, USER_IDS[role])
    response = caller.client.request(method, path, json=body, headers=caller.headers)
    assert response.status_code == status, response.text
    assert response.json()["success"] is (status < 400)


@pytest.mark.parametrize(
    ("method", "path", "body"), [(method, path, body) for method, path, body, _ in MATRIX]
)
def test_no_token_is_401_with_the_challenge(client: TestClient, method: str, path: str, body: Any) -> None:
    response = Api(client, None).client.request(method, path, json=body)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == {"success": False, "error": "Требуется авторизация"}
