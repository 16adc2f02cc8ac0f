"""Registration, form login and the 401s the client relies on (any 401 clears its token)."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from tests.scales.helpers import ALICE, SECRET, Api, login

from opsuite.core.security import decode_token, encode_token
from opsuite.scales.settings import ScalesSettings


def test_register_returns_201_with_id_and_email(client: TestClient) -> None:
    response = client.post("/auth/register", json={"email": "carol@example.com", "password": "carol-pass-1"})
    assert response.status_code == 201
    assert response.json() == {"id": 3, "email": "carol@example.com"}
    assert login(client, "carol@example.com", "carol-pass-1")


def test_register_twice_is_409(client: TestClient) -> None:
    response = client.post("/auth/register", json={"email": ALICE[0], "password": "another-pass"})
    assert response.status_code == 409
    assert response.json() == {"detail": "Пользователь с таким e-mail уже зарегистрирован"}


def test_register_validates_email_and_password_length(client: TestClient) -> None:
    bad_email = client.post("/auth/register", json={"email": "not-an-email", "password": "long-enough"})
    assert bad_email.status_code == 422
    assert [e["loc"] for e in bad_email.json()["detail"]] == [["body", "email"]]
    short = client.post("/auth/register", json={"email": "x@example.com", "password": "short"})
    assert short.status_code == 422
    assert [e["loc"] for e in short.json()["detail"]] == [["body", "password"]]


def test_register_can_be_closed(settings: ScalesSettings, client: TestClient) -> None:
    settings.allow_registration = False
    response = client.post("/auth/register", json={"email": "x@example.com", "password": "long-enough"})
    assert response.status_code == 403
    assert response.json() == {"detail": "Регистрация закрыта"}


def test_login_form_returns_bearer_token_with_user_id_subject(client: TestClient) -> None:
    response = client.post("/auth/login", data={"username": ALICE[0], "password": ALICE[1]})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type"}
    assert body["token_type"] == "bearer"
    claims = decode_token(body["access_token"], SECRET, audience="scales")
    assert claims["sub"] == "1"
    assert claims["exp"] - claims["iat"] == 1440 * 60


def test_login_with_wrong_password_or_unknown_user_is_401(client: TestClient) -> None:
    for username, password in ((ALICE[0], "wrong-password"), ("nobody@example.com", "whatever1")):
        response = client.post("/auth/login", data={"username": username, "password": password})
        assert response.status_code == 401
        assert response.json() == {"detail": "Неверный e-mail или пароль"}


def test_login_with_json_body_is_422(client: TestClient) -> None:
    response = client.post("/auth/login", json={"username": ALICE[0], "password": ALICE[1]})
    assert response.status_code == 422


def test_missing_token_is_401_not_authenticated_with_challenge(client: TestClient) -> None:
    response = client.get("/devices")
    assert response.status_code == 401
    assert response.json() == {"detail": "Требуется вход: передайте заголовок Authorization: Bearer <токен>"}
    assert response.headers["www-authenticate"] == "Bearer"


def test_bad_tokens_are_401_invalid_token_and_an_expired_one_says_so(client: TestClient) -> None:
    expired = encode_token({"sub": "1"}, SECRET, timedelta(minutes=-5), audience="scales")
    forged = encode_token(
        {"sub": "1"}, "another-secret-key-0123456789abcdef", timedelta(minutes=5), audience="scales"
    )
    for token, detail in (
        ("garbage", "Неверный токен"),
        (expired, "Срок действия токена истёк: войдите снова"),
        (forged, "Неверный токен"),
    ):
        response = Api(client, token).get("/devices")
        assert (response.status_code, response.json()) == (401, {"detail": detail})


def test_token_of_a_deleted_user_is_401_user_not_found(client: TestClient) -> None:
    token = encode_token({"sub": "999"}, SECRET, timedelta(minutes=5), audience="scales")
    response = Api(client, token).get("/devices")
    assert response.status_code == 401
    assert response.json() == {"detail": "Пользователь не найден"}
