"""`/api/station-secret-keys`: service admin only; stored encrypted, answered as a hint, one per station."""

from __future__ import annotations

from sqlalchemy import select

from opsuite.core.db import Database
from opsuite.powerbank.crypto import KeyCipher
from opsuite.powerbank.stations.models import StationSecretKey
from tests.powerbank.helpers import FERNET_KEY, Api


def test_keys_are_hints_only(service_admin: Api) -> None:
    body = service_admin.get("/api/station-secret-keys").json()
    assert body["count"] == 3
    assert body["data"][0] == {
        "id": 1,
        "station_id": 1,
        "key_hint": "******Y1",
        "created_at": "2026-03-10T12:00:00+03:00",
    }
    assert "DEMOKEY" not in str(body)


def test_post_replaces_and_is_encrypted(service_admin: Api, database: Database) -> None:
    response = service_admin.post("/api/station-secret-keys", json={"station_id": 2, "key_value": "NEWKEY42"})
    assert response.status_code == 201
    assert response.json() == {
        "success": True,
        "message": "Ключ станции сохранен",
        "data": {"id": 2, "station_id": 2, "key_hint": "******42", "created_at": "2026-03-10T12:00:00+03:00"},
        "id": 2,
        "station_id": 2,
    }
    with database.session() as session:
        row = session.scalars(select(StationSecretKey).where(StationSecretKey.station_id == 2)).one()
        assert "NEWKEY42" not in row.key_encrypted
        assert KeyCipher([FERNET_KEY]).decrypt(row.key_encrypted) == "NEWKEY42"
    listed = service_admin.get("/api/station-secret-keys", params={"station_id": 2}).json()["data"]
    assert [row["key_hint"] for row in listed] == ["******42"]


def test_delete_by_id_and_by_station(service_admin: Api) -> None:
    assert service_admin.delete("/api/station-secret-keys/1").json()["message"] == "Ключ станции удален"
    assert service_admin.delete("/api/station-secret-keys", params={"station_id": 2}).status_code == 200
    again = service_admin.delete("/api/station-secret-keys/1")
    assert again.status_code == 404
    assert again.json() == {"success": False, "error": "Ключ станции не найден"}
    assert [row["station_id"] for row in service_admin.get("/api/station-secret-keys").json()["data"]] == [3]


def test_only_the_service_admin(group_admin: Api, service_admin: Api) -> None:
    assert group_admin.get("/api/station-secret-keys").status_code == 403
    assert (
        group_admin.post(
            "/api/station-secret-keys", json={"station_id": 1, "key_value": "ABCDEFGH"}
        ).status_code
        == 403
    )
    unknown = service_admin.post("/api/station-secret-keys", json={"station_id": 99, "key_value": "ABCDEFGH"})
    assert unknown.status_code == 404
    spaced = service_admin.post("/api/station-secret-keys", json={"station_id": 1, "key_value": "AB CD EF"})
    assert spaced.status_code == 400
