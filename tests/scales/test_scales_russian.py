"""Scales speaks Russian: domain errors, readable 422s that keep FastAPI's structure, the HTTP layer, auth."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from tests.scales.helpers import ALICE, SECRET, Api, Scales

from opsuite.core.db import Database
from opsuite.core.security import encode_token, fingerprint
from opsuite.scales.devices.sample_products import generate_product_file
from opsuite.scales.users.models import User
from opsuite.scales.users.service import AUDIENCE


def test_a_patch_out_of_range_reads_as_a_toast_and_keeps_its_structure(alice: Api, scales: Scales) -> None:
    scales[1111].products = generate_product_file(2)
    alice.add_device()
    alice.get("/devices/1/products")
    response = alice.patch("/devices/1/products/1", json={"fields": {"price": 1_000_001}})
    assert (response.status_code, response.json()) == (
        422,
        {
            "detail": [
                {
                    "type": "value_error",
                    "loc": ["body", "fields", "price"],
                    "msg": "Цена: от 0 до 1 000 000",
                    "input": 1_000_001,
                }
            ],
            "message": "Цена: от 0 до 1 000 000",
        },
    )


def test_schema_errors_are_russian_with_a_message_for_people(alice: Api) -> None:
    body = {"name": "", "ip": "127.0.0.1", "port": 70000, "password": "1234"}
    response = alice.post("/devices", json=body)
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert [(e["type"], e["loc"], e["msg"]) for e in errors] == [
        ("string_too_short", ["body", "name"], "Название: не может быть пустым"),
        ("less_than_equal", ["body", "port"], "Порт: не больше 65 535"),
    ]
    assert response.json()["message"] == "Название: не может быть пустым; Порт: не больше 65 535"
    missing = alice.post("/devices", json={"ip": "127.0.0.1", "password": "12345"})
    assert missing.json()["message"] == (
        "Название: обязательное поле; Пароль: ровно 4 печатных ASCII-символа без пробелов"
    )


def test_domain_and_http_errors_are_russian(alice: Api, client: TestClient) -> None:
    assert alice.get("/devices/7").json() == {"detail": "Устройство не найдено"}
    assert alice.get("/nowhere").json() == {"detail": "Не найдено"}
    assert alice.call("PATCH", "/devices").json() == {"detail": "Метод не разрешён"}
    alice.add_device()
    assert alice.post("/devices", json={"name": "Весы 1", "ip": "127.0.0.1", "password": "1234"}).json() == {
        "detail": "Устройство с таким названием уже есть"
    }
    failed = client.post("/auth/login", data={"username": ALICE[0], "password": "wrong-pass"})
    assert (failed.status_code, failed.json()) == (401, {"detail": "Неверный e-mail или пароль"})


def test_a_bearer_token_under_another_scheme_is_called_the_wrong_scheme(
    alice: Api, client: TestClient
) -> None:
    cases = [
        ({}, "Требуется вход: передайте заголовок Authorization: Bearer <токен>"),
        (
            {"Authorization": f"Token {alice.token}"},
            "Неверная схема авторизации «Token»: передайте заголовок Authorization: Bearer <токен>",
        ),
        (
            {"Authorization": "Basic YWxpY2U6cHc="},
            "Неверная схема авторизации «Basic»: передайте заголовок Authorization: Bearer <токен>",
        ),
        ({"Authorization": "Bearer"}, "Требуется вход: передайте заголовок Authorization: Bearer <токен>"),
        ({"Authorization": "Bearer not-a-jwt"}, "Неверный токен"),
    ]
    for headers, detail in cases:
        response = client.get("/devices", headers=headers)
        assert (response.status_code, response.json()) == (401, {"detail": detail}), headers
        assert response.headers["WWW-Authenticate"] == "Bearer"
    assert client.get("/devices", headers={"Authorization": f"bearer {alice.token}"}).status_code == 200


def test_an_expired_token_says_it_expired(client: TestClient, database: Database) -> None:
    with database.session(write=False) as session:
        user = session.query(User).filter_by(email=ALICE[0]).one()
        claims = {"sub": str(user.id), "pwd_fp": fingerprint(user.password_hash)}
    issued = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    token = encode_token(claims, SECRET, dt.timedelta(minutes=1440), audience=AUDIENCE, now=issued)
    response = client.get("/devices", headers={"Authorization": f"Bearer {token}"})
    assert (response.status_code, response.json()) == (
        401,
        {"detail": "Срок действия токена истёк: войдите снова"},
    )
