"""Scales tokens name their system and their password: refused elsewhere and after a password change."""

from __future__ import annotations

import time
from datetime import timedelta

import jwt
from fastapi.testclient import TestClient
from tests.scales.helpers import ALICE, SECRET, Api, login

from opsuite.core.db import Database
from opsuite.core.security import decode_token, encode_token
from opsuite.scales.users import service as users_service


def test_a_token_names_scales_and_the_password(client: TestClient) -> None:
    claims = decode_token(login(client, *ALICE), SECRET, audience="scales")
    assert set(claims) == {"sub", "pwd_fp", "aud", "iat", "exp"}
    assert (claims["sub"], claims["aud"], len(claims["pwd_fp"])) == ("1", "scales", 64)


def test_a_token_dies_when_the_password_changes(client: TestClient, database: Database) -> None:
    token = login(client, *ALICE)
    assert Api(client, token).get("/devices").status_code == 200
    with database.session() as session:
        users_service.set_password(session, email=ALICE[0], password="a-new-password")
    response = Api(client, token).get("/devices")
    assert (response.status_code, response.json()) == (401, {"detail": "Пароль был изменён: войдите снова"})
    assert response.headers["www-authenticate"] == "Bearer"
    assert Api(client, login(client, ALICE[0], "a-new-password")).get("/devices").status_code == 200


def test_a_waybills_token_or_one_without_audience_is_401_with_the_same_secret(client: TestClient) -> None:
    scales_claims = decode_token(login(client, *ALICE), SECRET, audience="scales")
    now = int(time.time())
    waybills = {"sub": "1", "login": "admin", "role": 1, "client": "web", "pwd_fp": scales_claims["pwd_fp"]}
    for token in (
        encode_token(waybills, SECRET, timedelta(minutes=5), audience="waybills"),
        jwt.encode({"sub": "1", "iat": now, "exp": now + 300}, SECRET, algorithm="HS256"),
        jwt.encode({**waybills, "iat": now, "exp": now + 300}, SECRET, algorithm="HS256"),
    ):
        response = Api(client, token).get("/devices")
        assert (response.status_code, response.json()) == (401, {"detail": "Неверный токен"})
