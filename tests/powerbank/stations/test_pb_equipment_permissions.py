"""The permission matrix of the routes of stations, banks, locations, slot reports, cabinet commands and keys."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.powerbank.helpers import bearer

ROLES = ("user", "subgroup_admin", "group_admin", "service_admin")
USER_IDS = dict(zip(ROLES, (4, 3, 2, 1), strict=True))
STATION_BODY = {"org_unit_id": 2, "box_id": "NEW01", "slots_declared": 4}
BANK_BODY = {"serial_number": "4443484154009999", "org_unit_id": 1}
REPORT_BODY = {"station_id": 1, "slot_number": 1, "event_type": "1"}

# (method, path, body) -> status for user, subgroup_admin, group_admin, service_admin.
# Command POSTs answer 400 (no cabinet is connected in these tests) where the role is allowed.
MATRIX: list[tuple[str, str, Any, tuple[int, int, int, int]]] = [
    ("GET", "/api/stations", None, (200, 200, 200, 200)),
    ("GET", "/api/stations/1", None, (200, 200, 200, 200)),
    ("GET", "/api/stations/3", None, (403, 403, 200, 200)),
    ("POST", "/api/stations", STATION_BODY, (403, 403, 201, 201)),
    ("PUT", "/api/stations/2", {"status": "maintenance"}, (403, 403, 200, 200)),
    ("GET", "/api/powerbanks", None, (403, 200, 200, 200)),
    ("GET", "/api/powerbanks/1", None, (403, 403, 200, 200)),
    ("POST", "/api/powerbanks", BANK_BODY, (403, 403, 201, 201)),
    ("PUT", "/api/powerbanks/1", {"soh": 90}, (403, 403, 200, 200)),
    ("GET", "/api/powerbanks-status", None, (403, 200, 200, 200)),
    ("GET", "/api/powerbanks/status/summary", None, (403, 200, 200, 200)),
    ("GET", "/api/slot-abnormal-reports", None, (403, 200, 200, 200)),
    ("GET", "/api/slot-abnormal-reports/statistics", None, (403, 200, 200, 200)),
    ("POST", "/api/slot-abnormal-reports", REPORT_BODY, (403, 403, 403, 201)),
    ("POST", "/api/query-inventory", {"station_id": 1}, (403, 400, 400, 400)),
    ("GET", "/api/query-inventory/station/1", None, (403, 200, 200, 200)),
    ("POST", "/api/restart-cabinet", {"station_id": 1}, (403, 403, 400, 400)),
    ("POST", "/api/set-voice-volume", {"station_id": 1, "volume_level": 3}, (403, 403, 400, 400)),
    ("POST", "/api/set-server-address", {"station_id": 1, "address": "h:1"}, (403, 403, 403, 400)),
    ("GET", "/api/iccid/stations/1", None, (403, 200, 200, 200)),
    ("GET", "/api/station-secret-keys", None, (403, 403, 403, 200)),
    ("POST", "/api/station-secret-keys", {"station_id": 1, "key_value": "NEWKEY1"}, (403, 403, 403, 201)),
    ("GET", "/api/station-powerbanks", None, (403, 403, 403, 200)),
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


def test_no_token_is_401(client: TestClient) -> None:
    response = client.post("/api/query-inventory", json={"station_id": 1})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
