"""JWT as the document describes it: login, the exact claims, every 401 with its text, and throttling."""

from __future__ import annotations

import hashlib
import re
import time
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient
from pwdlib.hashers.bcrypt import BcryptHasher
from sqlalchemy import select, update

from opsuite.core.db import Database
from opsuite.core.throttle import DatabaseThrottleStore, LoginThrottle
from opsuite.waybills.auth.models import LoginThrottle as ThrottleRow
from opsuite.waybills.settings import WaybillsSettings
from opsuite.waybills.users.models import User
from tests.clock import FakeClock
from tests.waybills.helpers import ADMIN_LOGIN, ADMIN_PASSWORD, SECRET, Api

LOGIN = "/api/auth/login/"
PASSWORD = "pass12345"
INVALID_TOKEN = "Неверный токен"
NO_CREDENTIALS = "Учетные данные не были предоставлены."
WRONG_SCHEME = "Неверная схема авторизации «{scheme}»: передайте заголовок Authorization: Bearer <токен>."
BAD_AUTH_HEADER = "Заголовок Authorization должен содержать два значения через пробел: Bearer <токен>."
PASSWORD_CHANGED = "Пароль был изменён. Авторизуйтесь снова."
LOGIN_FAILED = {"detail": "Неверный логин или пароль"}
LOGIN_REQUIRED = {"detail": "login и password обязательны"}


def _claims(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, SECRET, algorithms=["HS256"], audience="waybills"))


def _sign(claims: dict[str, Any], key: str = SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


def _stored_hash(database: Database, user_id: int) -> str:
    with database.session(write=False) as session:
        return str(session.scalar(select(User.password).where(User.id == user_id)))


def _assert_401(response: Any, detail: str) -> None:
    assert (response.status_code, response.json()) == (401, {"detail": detail}), response.text
    assert response.headers["WWW-Authenticate"].startswith("Bearer"), response.headers


def _me(client: TestClient, authorization: str | None) -> Any:
    headers = {} if authorization is None else {"Authorization": authorization}
    return client.get("/api/auth/me/", headers=headers)


def _login(http: TestClient, login: str, password: str, **extra: Any) -> Any:
    return http.post(LOGIN, json={"login": login, "password": password, **extra})


# Login ---------------------------------------------------------------------------------------------


def test_login_answers_the_token_and_the_user_exactly(api: Api, database: Database) -> None:
    user = api.user("driver", name="Иван", surname="Иванов", last_name="Иванович", login="driver1")
    response = _login(api.client, "driver1", PASSWORD, client="mobile")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"access", "user"}
    assert body["user"] == {
        "id": user["id"], "login": "driver1", "role": 3, "name": "Иван", "surname": "Иванов",
        "last_name": "Иванович",
    }  # fmt: skip
    before = int(time.time())
    claims = _claims(body["access"])
    assert set(claims) == {"sub", "login", "role", "client", "pwd_fp", "aud", "iat", "exp"}
    assert claims["aud"] == "waybills"
    assert claims["sub"] == str(user["id"])
    assert (claims["login"], claims["role"], claims["client"]) == ("driver1", 3, "mobile")
    assert re.fullmatch(r"[0-9a-f]{64}", claims["pwd_fp"])
    assert claims["pwd_fp"] == hashlib.sha256(_stored_hash(database, user["id"]).encode()).hexdigest()
    assert isinstance(claims["iat"], int)
    assert isinstance(claims["exp"], int)
    assert claims["exp"] - claims["iat"] == 3600
    assert before - 60 <= claims["iat"] <= before + 60
    assert jwt.get_unverified_header(body["access"])["alg"] == "HS256"


def test_login_client_defaults_to_web_and_a_user_without_role_gets_role_null(api: Api) -> None:
    user = api.user(None)
    response = _login(api.client, user["login"], PASSWORD)
    assert response.status_code == 200, response.text
    assert response.json()["user"]["role"] is None
    claims = _claims(response.json()["access"])
    assert (claims["client"], claims["role"], claims["sub"]) == ("web", None, str(user["id"]))
    web = _claims(api.login(user["login"], PASSWORD, "web"))
    assert web["client"] == "web"


def test_login_without_login_or_password_is_400(client: TestClient) -> None:
    bodies: list[dict[str, Any]] = [
        {},
        {"login": "admin"},
        {"password": "x"},
        {"login": "", "password": "x"},
        {"login": "admin", "password": ""},
        {"login": None, "password": "x"},
        {"login": "admin", "password": None},
        {"login": "", "password": "", "client": "web"},
    ]
    for body in bodies:
        response = client.post(LOGIN, json=body)
        assert (response.status_code, response.json()) == (400, LOGIN_REQUIRED), body
    # These never count as failed attempts.
    assert _login(client, ADMIN_LOGIN, ADMIN_PASSWORD).status_code == 200


def test_login_with_a_wrong_password_or_an_unknown_login_is_401(api: Api) -> None:
    user = api.user("driver")
    for login, password in ((user["login"], "wrong-pass"), ("nobody", PASSWORD), (ADMIN_LOGIN, PASSWORD)):
        response = _login(api.client, login, password)
        assert (response.status_code, response.json()) == (401, LOGIN_FAILED), (login, response.text)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    # A soft-deleted user cannot log in any more, even with the right password.
    api.ok("DELETE", f"users/{user['id']}/", status=204)
    response = _login(api.client, user["login"], PASSWORD)
    assert (response.status_code, response.json()) == (401, LOGIN_FAILED)


def test_login_with_an_unknown_client_is_400_naming_client(client: TestClient) -> None:
    for value in ("desktop", "WEB", "", 1):
        response = _login(client, ADMIN_LOGIN, ADMIN_PASSWORD, client=value)
        assert response.status_code == 400, (value, response.text)
        body = response.json()
        assert list(body) == ["client"], body
        assert isinstance(body["client"], list)
        assert len(body["client"]) == 1
        assert isinstance(body["client"][0], str)


def test_login_upgrades_an_imported_bcrypt_hash_and_its_token_works(api: Api, database: Database) -> None:
    user = api.user("driver")
    with database.session() as session:
        session.execute(
            update(User).where(User.id == user["id"]).values(password=BcryptHasher().hash("legacy-pass"))
        )
    token = api.login(user["login"], "legacy-pass")
    stored = _stored_hash(database, user["id"])
    assert stored.startswith("$argon2")
    assert _claims(token)["pwd_fp"] == hashlib.sha256(stored.encode()).hexdigest()
    assert _me(api.client, f"Bearer {token}").status_code == 200


# Token failures ------------------------------------------------------------------------------------


def test_every_token_failure_is_401_with_bearer_and_the_original_text(api: Api) -> None:
    client = api.client
    user = api.user("driver")
    token = api.login(user["login"], PASSWORD)
    good = _claims(token)
    now = int(time.time())
    cases: list[tuple[str, str | None, str]] = [
        ("no header", None, NO_CREDENTIALS),
        ("empty header", "", NO_CREDENTIALS),
        ("wrong scheme", f"Token {token}", WRONG_SCHEME.format(scheme="Token")),
        ("scheme is case-sensitive", f"bearer {token}", WRONG_SCHEME.format(scheme="bearer")),
        ("basic auth", "Basic YWRtaW46YWRtaW4=", WRONG_SCHEME.format(scheme="Basic")),
        ("scheme without token", "Bearer", BAD_AUTH_HEADER),
        ("three parts", f"Bearer {token} extra", BAD_AUTH_HEADER),
        ("garbage", "Bearer not-a-jwt", INVALID_TOKEN),
        ("garbage with dots", "Bearer aaa.bbb.ccc", INVALID_TOKEN),
        ("wrong signature", f"Bearer {_sign(good, 'another-secret-key-0123456789abcdef')}", INVALID_TOKEN),
        ("tampered payload", f"Bearer {_tamper(token)}", INVALID_TOKEN),
        ("alg none", f"Bearer {_sign(good, '', 'none')}", INVALID_TOKEN),
        ("other algorithm", f"Bearer {_sign(good, SECRET, 'HS512')}", INVALID_TOKEN),
        ("no exp", f"Bearer {_sign(_without(good, 'exp'))}", INVALID_TOKEN),
        ("expired", f"Bearer {_sign({**good, 'iat': now - 7200, 'exp': now - 3600})}", "Токен истёк"),
        ("no sub", f"Bearer {_sign(_without(good, 'sub'))}", "Некорректный токен (нет sub)"),
        ("empty sub", f"Bearer {_sign({**good, 'sub': ''})}", "Некорректный токен (нет sub)"),
        ("unknown user", f"Bearer {_sign({**good, 'sub': '999999'})}", "Пользователь не найден"),
        ("no pwd_fp", f"Bearer {_sign(_without(good, 'pwd_fp'))}", "Некорректный токен (нет pwd_fp)"),
        ("empty pwd_fp", f"Bearer {_sign({**good, 'pwd_fp': ''})}", "Некорректный токен (нет pwd_fp)"),
        ("other pwd_fp", f"Bearer {_sign({**good, 'pwd_fp': '0' * 64})}", PASSWORD_CHANGED),
    ]
    for name, header, detail in cases:
        response = _me(client, header)
        assert (response.status_code, response.json()) == (401, {"detail": detail}), (name, response.text)
        assert response.headers["WWW-Authenticate"].startswith("Bearer"), name
    # The same token, untouched, is fine.
    assert _me(client, f"Bearer {token}").status_code == 200


def test_anonymous_calls_are_401_not_403(client: TestClient) -> None:
    calls = [
        ("GET", "roles/"),
        ("GET", "permissions/current/"),
        ("GET", "users/drivers/"),
        ("GET", "passenger-cars/"),
        ("POST", "passenger-cars/"),
        ("PATCH", "passenger-cars/1/"),
        ("PUT", "roles/1/"),
        ("DELETE", "fire-trucks/1/"),
        ("GET", "passenger-car-norms/for-date/"),
        ("GET", "fire-truck-odometer-fuel/last/"),
        ("POST", "passenger-car-records/"),
        ("POST", "fire-truck-records/"),
    ]
    car = {"number": "A001AA54", "brand": "Toyota", "model": "Camry"}
    for method, path in calls:
        body = car if method in ("POST", "PATCH", "PUT") else None
        response = client.request(method, f"/api/{path}", json=body)
        assert response.status_code == 401, (method, path, response.text)
        _assert_401(response, NO_CREDENTIALS)
    # An invalid body does not hide the missing credentials either.
    _assert_401(client.post("/api/passenger-cars/", json={}), NO_CREDENTIALS)


def test_anonymous_call_with_a_malformed_body_is_401_before_parsing(client: TestClient) -> None:
    response = client.post(
        "/api/passenger-cars/", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    _assert_401(response, NO_CREDENTIALS)


def test_token_of_a_soft_deleted_user_is_401_user_not_found(api: Api) -> None:
    user = api.user("driver")
    token = api.login(user["login"], PASSWORD)
    assert _me(api.client, f"Bearer {token}").status_code == 200
    api.ok("DELETE", f"users/{user['id']}/", status=204)
    _assert_401(_me(api.client, f"Bearer {token}"), "Пользователь не найден")
    _assert_401(api.get("passenger-cars/", token=token), "Пользователь не найден")


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_a_password_change_through_the_api_invalidates_every_older_token(api: Api, method: str) -> None:
    user = api.user("driver")
    web = api.login(user["login"], PASSWORD, "web")
    mobile = api.login(user["login"], PASSWORD, "mobile")
    old_fp = _claims(web)["pwd_fp"]
    assert _claims(mobile)["pwd_fp"] == old_fp
    body: dict[str, Any] = {"password": "new-pass-2"}
    if method == "PUT":
        body.update({k: user[k] for k in ("name", "surname", "last_name", "login", "phone", "role")})
    updated = api.ok(method, f"users/{user['id']}/", body)
    assert "password" not in updated
    for token in (web, mobile):
        _assert_401(_me(api.client, f"Bearer {token}"), PASSWORD_CHANGED)
        _assert_401(api.get("passenger-cars/", token=token), PASSWORD_CHANGED)
    assert _login(api.client, user["login"], PASSWORD).json() == LOGIN_FAILED
    fresh = api.login(user["login"], "new-pass-2")
    assert _claims(fresh)["pwd_fp"] != old_fp
    me = _me(api.client, f"Bearer {fresh}")
    assert (me.status_code, me.json()["id"]) == (200, user["id"])


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_an_update_without_password_keeps_tokens_valid(api: Api, method: str) -> None:
    user = api.user("driver")
    token = api.login(user["login"], PASSWORD)
    body: dict[str, Any] = {"name": "Пётр"}
    if method == "PUT":
        body.update({k: user[k] for k in ("surname", "last_name", "login", "phone", "role")})
    api.ok(method, f"users/{user['id']}/", body)
    response = _me(api.client, f"Bearer {token}")
    assert (response.status_code, response.json()["name"]) == (200, "Пётр")


def test_a_password_hash_changed_by_hand_in_the_database_invalidates_tokens(
    api: Api, database: Database
) -> None:
    user = api.user("driver")
    token = api.login(user["login"], PASSWORD)
    with database.session() as session:
        session.execute(update(User).where(User.id == user["id"]).values(password="pbkdf2_sha256$1$x$y"))
    _assert_401(_me(api.client, f"Bearer {token}"), PASSWORD_CHANGED)


# me ------------------------------------------------------------------------------------------------


def test_me_answers_the_documented_shape(api: Api) -> None:
    user = api.user(
        "driver", name="Иван", surname="Иванов", last_name="Иванович", login="driver1",
        phone="+79001234567", driver_license="1234567890",
    )  # fmt: skip
    token = api.login("driver1", PASSWORD, "mobile")
    response = _me(api.client, f"Bearer {token}")
    assert response.status_code == 200
    assert response.json() == {
        "id": user["id"], "name": "Иван", "surname": "Иванов", "last_name": "Иванович", "login": "driver1",
        "phone": "+79001234567", "driver_license": "1234567890", "role": 3, "deleted_at": None,
    }  # fmt: skip
    admin = api.ok("GET", "auth/me/")
    assert (admin["login"], admin["role"], admin["deleted_at"]) == (ADMIN_LOGIN, 1, None)


# Throttling ----------------------------------------------------------------------------------------


def test_repeated_failures_throttle_that_login_only(api: Api, settings: WaybillsSettings) -> None:
    assert settings.login_attempts == 5
    user = api.user("driver")
    other = api.user("driver")
    for attempt in range(settings.login_attempts):
        response = _login(api.client, user["login"], "wrong-pass")
        assert (response.status_code, response.json()) == (401, LOGIN_FAILED), attempt
    for password in (PASSWORD, "wrong-pass"):
        response = _login(api.client, user["login"], password)
        assert response.status_code == 429, response.text
        retry_after = response.headers["Retry-After"]
        assert retry_after.isdigit(), retry_after
        assert 0 < int(retry_after) <= settings.login_window_seconds
        assert isinstance(response.json()["detail"], str)
    # Another login is not affected, nor are tokens already issued.
    assert _login(api.client, other["login"], PASSWORD).status_code == 200
    assert api.get("auth/me/").status_code == 200


def test_unknown_logins_are_throttled_too(client: TestClient, settings: WaybillsSettings) -> None:
    for _ in range(settings.login_attempts):
        assert _login(client, "ghost", "x").status_code == 401
    assert _login(client, "ghost", "x").status_code == 429
    assert _login(client, ADMIN_LOGIN, ADMIN_PASSWORD).status_code == 200


def test_a_successful_login_resets_the_failure_count(api: Api, settings: WaybillsSettings) -> None:
    user = api.user("driver")
    limit = settings.login_attempts
    for _ in range(limit - 1):
        assert _login(api.client, user["login"], "wrong-pass").status_code == 401
    assert _login(api.client, user["login"], PASSWORD).status_code == 200
    # The count starts again from zero: `limit` more failures are answered 401, the next one 429.
    for attempt in range(limit):
        response = _login(api.client, user["login"], "wrong-pass")
        assert response.status_code == 401, (attempt, response.text)
    assert _login(api.client, user["login"], PASSWORD).status_code == 429


def test_retry_after_counts_down_and_the_block_ends_with_the_window(
    app: Any, api: Api, settings: WaybillsSettings, database: Database
) -> None:
    clock = FakeClock()
    app.state.runtime.login_throttle = LoginThrottle(
        DatabaseThrottleStore(database, ThrottleRow, clock=clock), settings.login_limits()
    )
    user = api.user("driver")
    for _ in range(settings.login_attempts):
        assert _login(api.client, user["login"], "wrong-pass").status_code == 401
    response = _login(api.client, user["login"], PASSWORD)
    assert (response.status_code, response.headers["Retry-After"]) == (429, "300")
    clock.advance(seconds=120)
    response = _login(api.client, user["login"], PASSWORD)
    assert (response.status_code, response.headers["Retry-After"]) == (429, "180")
    clock.advance(seconds=180)
    assert _login(api.client, user["login"], PASSWORD).status_code == 200


# Helpers ---------------------------------------------------------------------------------------------


def _without(claims: dict[str, Any], name: str) -> dict[str, Any]:
    return {k: v for k, v in claims.items() if k != name}


def _tamper(token: str) -> str:
    header, _payload, signature = token.split(".")
    forged = jwt.utils.base64url_encode(b'{"sub":"1","exp":9999999999,"iat":1}').decode()
    return f"{header}.{forged}.{signature}"
