"""The React client's exact calls (notes §6.2) replayed in its order, and CORS for its origin."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.scales.helpers import Scales

from opsuite.scales.devices.sample_products import generate_product_file

ORIGIN = "http://localhost:5173"


def test_client_session_end_to_end(client: TestClient, scales: Scales) -> None:
    scales[1111].products = generate_product_file(3, seed=5)
    h = {"Origin": ORIGIN}
    assert (
        client.post(
            "/auth/register", json={"email": "shop@example.com", "password": "Shop1234"}, headers=h
        ).status_code
        == 201
    )
    login = client.post(
        "/auth/login", data={"username": "shop@example.com", "password": "Shop1234"}, headers=h
    )
    assert login.headers["access-control-allow-origin"] == ORIGIN
    h["Authorization"] = f"Bearer {login.json()['access_token']}"
    # description omitted when empty, as the client does
    created = client.post(
        "/devices",
        json={"name": "Касса", "ip": "127.0.0.1", "port": 1111, "protocol": "TCP", "password": "1234"},
        headers=h,
    )
    assert created.status_code == 201
    device_id = created.json()["id"]
    assert client.get("/devices", headers=h).json()[0]["id"] == device_id
    # Opening the device page
    assert client.get(f"/devices/{device_id}", headers=h).json()["cached_dirty"] is False
    assert client.get(f"/devices/{device_id}/products/cached", headers=h).json()["products"]["products"] == []
    assert client.get(f"/devices/{device_id}/auto-update", headers=h).json()["last_run_utc"] is None
    # "Выгрузить": body ignored, then the cache is re-read
    assert client.get(f"/devices/{device_id}/products", headers=h).status_code == 200
    products = client.get(f"/devices/{device_id}/products/cached", headers=h).json()["products"]["products"]
    assert [p["pluNumber"] for p in products] == [1, 2, 3]
    # The edit form sends exactly these five fields; empty dates mean "leave as is"
    fields = {"name": "Сыр", "price": 450, "shelfLife": 7, "manufactureDate": "", "sellByDate": ""}
    patched = client.patch(f"/devices/{device_id}/products/2", json={"fields": fields}, headers=h)
    assert patched.status_code == 200
    product = patched.json()["products"]["products"][1]
    assert (product["name"], product["price"], product["shelfLife"], product["manufactureDate"]) == (
        "Сыр",
        450,
        7,
        products[1]["manufactureDate"],
    )
    assert client.get(f"/devices/{device_id}", headers=h).json()["cached_dirty"] is True
    # "Загрузить в весы"
    assert client.post(f"/devices/{device_id}/upload", headers=h).json() == {"status": "ok"}
    # The interval input PUTs on every keystroke
    for minutes in (1, 12, 120):
        response = client.put(
            f"/devices/{device_id}/auto-update",
            json={"enabled": True, "interval_minutes": minutes},
            headers=h,
        )
        assert response.status_code == 200
    assert client.delete(f"/devices/{device_id}", headers=h).status_code == 204


def test_cors_preflight_for_the_client_origin(client: TestClient) -> None:
    response = client.options(
        "/devices/1/products/5",
        headers={
            "Origin": "http://127.0.0.1:5173",
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "http://127.0.0.1:5173"
    assert response.headers["access-control-allow-credentials"] == "true"
    assert "PATCH" in response.headers["access-control-allow-methods"]


def test_cors_refuses_other_origins(client: TestClient) -> None:
    response = client.get("/health", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in response.headers
