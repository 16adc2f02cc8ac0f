"""Devices: CRUD bodies and codes, per-user isolation, Fernet at rest, password never returned."""

from __future__ import annotations

from cryptography.fernet import Fernet
from sqlalchemy import text
from tests.scales.helpers import DEVICE, FERNET_KEY, Api

from opsuite.core.db import Database

OUT = {
    "id": 1,
    "name": "Весы 1",
    "description": "",
    "ip": "127.0.0.1",
    "port": 1111,
    "protocol": "TCP",
    "cached_dirty": False,
}


def test_create_returns_201_device_out_without_password(alice: Api) -> None:
    response = alice.post("/devices", json={"name": "Весы 1", "ip": "127.0.0.1", "password": "1234"})
    assert response.status_code == 201
    assert response.json() == OUT


def test_list_and_get_show_only_the_callers_devices(alice: Api, bob: Api) -> None:
    alice.add_device()
    bob.add_device(name="Bob's", ip="10.0.0.5", port=2222, description="склад")
    assert alice.get("/devices").json() == [OUT]
    assert bob.get("/devices").json() == [
        {**OUT, "id": 2, "name": "Bob's", "ip": "10.0.0.5", "port": 2222, "description": "склад"}
    ]
    assert alice.get("/devices/1").json() == OUT


def test_another_users_device_is_404_everywhere(alice: Api, bob: Api) -> None:
    alice.add_device()
    calls = [
        ("GET", "/devices/1", None),
        ("PUT", "/devices/1", {"name": "mine"}),
        ("DELETE", "/devices/1", None),
        ("GET", "/devices/1/products", None),
        ("GET", "/devices/1/products/cached", None),
        ("PATCH", "/devices/1/products/1", {"fields": {"price": 1}}),
        ("POST", "/devices/1/upload", None),
        ("GET", "/devices/1/auto-update", None),
        ("PUT", "/devices/1/auto-update", {"enabled": True, "interval_minutes": 5}),
        ("POST", "/devices/1/test", None),
        ("GET", "/devices/1/log", None),
        ("POST", "/devices/bulk-upload", {"device_ids": [1]}),
    ]
    for method, path, body in calls:
        response = bob.call(method, path, json=body)
        assert (method, path, response.status_code, response.json()) == (
            method,
            path,
            404,
            {"detail": "Устройство не найдено"},
        )
    assert alice.get("/devices/1").status_code == 200


def test_missing_device_is_404(alice: Api) -> None:
    assert alice.get("/devices/42").json() == {"detail": "Устройство не найдено"}
    assert alice.get("/devices/42").status_code == 404


def test_duplicate_name_is_409_per_owner(alice: Api, bob: Api) -> None:
    alice.add_device()
    again = alice.post("/devices", json=DEVICE)
    assert again.status_code == 409
    assert again.json() == {"detail": "Устройство с таким названием уже есть"}
    assert bob.post("/devices", json=DEVICE).status_code == 201


def test_put_changes_given_fields_and_409_on_name_clash(alice: Api) -> None:
    alice.add_device()
    alice.add_device(name="Second")
    response = alice.put("/devices/1", json={"description": "у кассы", "port": 1112, "ip": None})
    assert response.status_code == 200
    assert response.json() == {**OUT, "description": "у кассы", "port": 1112}
    clash = alice.put("/devices/1", json={"name": "Second"})
    assert clash.status_code == 409
    assert clash.json() == {"detail": "Устройство с таким названием уже есть"}
    assert alice.put("/devices/1", json={"name": "Весы 1"}).status_code == 200


def test_delete_is_204_and_removes_schedule_and_log(alice: Api, database: Database) -> None:
    alice.add_device()
    alice.put("/devices/1/auto-update", json={"enabled": True, "interval_minutes": 5})
    alice.post("/devices/1/test")
    response = alice.delete("/devices/1")
    assert response.status_code == 204
    assert response.content == b""
    assert alice.get("/devices/1").status_code == 404
    with database.session(write=False) as session:
        counts = [
            session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("devices", "auto_update_schedules", "operation_log")
        ]
    assert counts == [0, 0, 0]


def test_device_fields_are_validated(alice: Api) -> None:
    cases = {
        "password": {**DEVICE, "password": "12345"},
        "port": {**DEVICE, "port": 70000},
        "protocol": {**DEVICE, "protocol": "UDP"},
        "name": {**DEVICE, "name": ""},
    }
    for field, body in cases.items():
        response = alice.post("/devices", json=body)
        assert response.status_code == 422, field
        assert [e["loc"] for e in response.json()["detail"]] == [["body", field]]
    non_ascii = alice.post("/devices", json={**DEVICE, "password": "пароль"[:4]})
    assert non_ascii.status_code == 422
    assert non_ascii.json()["detail"][0]["msg"] == ("Пароль: ровно 4 печатных ASCII-символа без пробелов")


def test_password_is_fernet_encrypted_at_rest_and_never_returned(alice: Api, database: Database) -> None:
    created = alice.post("/devices", json={**DEVICE, "password": "Zq7!"})
    alice.put("/devices/1", json={"password": "Xy9#"})
    with database.session(write=False) as session:
        stored = session.execute(text("SELECT password_encrypted FROM devices")).scalar_one()
    assert "Xy9#" not in stored
    assert Fernet(FERNET_KEY.encode()).decrypt(stored.encode()) == b"Xy9#"
    for response in (created, alice.get("/devices"), alice.get("/devices/1")):
        assert "password" not in response.text
        assert "Zq7!" not in response.text
        assert "Xy9#" not in response.text


def test_scale_gets_the_decrypted_password(alice: Api, scales: object) -> None:
    alice.add_device(password="Ab1$")
    assert alice.post("/devices/1/test").status_code == 200
    assert [p.password for p in scales.params] == ["Ab1$"]  # type: ignore[attr-defined]
