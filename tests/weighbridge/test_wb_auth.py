"""Login by phone, the caller's profile, password change ending older tokens, user creation by a superuser."""

from __future__ import annotations

import pytest
from fastapi import WebSocket
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from opsuite.core.db import Database
from opsuite.core.web import authenticate_websocket
from opsuite.weighbridge.app import create_app
from opsuite.weighbridge.runtime import build_runtime
from opsuite.weighbridge.settings import WeighbridgeSettings
from opsuite.weighbridge.users.tokens import user_from_token
from tests.weighbridge.helpers import ADMIN, API, OPERATOR, Api, login


def test_login_answers_a_bearer_token_and_me_shows_the_documents_fields(client: TestClient) -> None:
    response = client.post(f"{API}/auth/login", data={"username": ADMIN[0], "password": ADMIN[1]})
    assert response.status_code == 200
    body = response.json()
    assert sorted(body) == ["access_token", "token_type"]
    assert body["token_type"] == "bearer"
    me = client.get(f"{API}/users/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json() == {
        "id": 1,
        "phone_number": "+998901234567",
        "is_active": True,
        "is_superuser": True,
        "internal_scale_id": None,
    }


def test_login_accepts_a_phone_written_with_spaces_and_dashes(client: TestClient) -> None:
    token = login(client, "+998 (90) 111-22-33", OPERATOR[1])
    me = Api(client, token).get("/users/me").json()
    assert (me["id"], me["phone_number"], me["is_superuser"]) == (2, "+998901112233", False)


def test_a_wrong_password_or_unknown_phone_is_401(client: TestClient) -> None:
    for phone, password in ((ADMIN[0], "wrong-pass"), ("+998900000000", ADMIN[1])):
        response = client.post(f"{API}/auth/login", data={"username": phone, "password": password})
        assert response.status_code == 401
        assert response.json() == {"detail": "Неверный номер телефона или пароль"}
        assert response.headers["www-authenticate"] == "Bearer"


def test_routes_without_a_token_or_with_a_bad_one_are_401_with_the_challenge(client: TestClient) -> None:
    missing = client.get(f"{API}/users/me")
    assert (missing.status_code, missing.json()) == (401, {"detail": "Требуется авторизация"})
    assert missing.headers["www-authenticate"] == "Bearer"
    bad = client.get(f"{API}/products", headers={"Authorization": "Bearer not.a.token"})
    assert (bad.status_code, bad.json()) == (401, {"detail": "Недействительный токен"})
    assert bad.headers["www-authenticate"] == "Bearer"


def test_change_password_ends_older_tokens_and_the_new_password_logs_in(
    client: TestClient, operator: Api
) -> None:
    wrong = operator.post(
        "/users/change-password", json={"old_password": "nope", "new_password": "brand-new-1"}
    )
    assert (wrong.status_code, wrong.json()) == (400, {"detail": "Неверный текущий пароль"})
    changed = operator.post(
        "/users/change-password", json={"old_password": OPERATOR[1], "new_password": "brand-new-1"}
    )
    assert (changed.status_code, changed.json()) == (200, {"status": "success"})
    old = operator.get("/users/me")
    assert (old.status_code, old.json()) == (401, {"detail": "Пароль изменён, войдите снова"})
    assert (
        client.post(f"{API}/auth/login", data={"username": OPERATOR[0], "password": OPERATOR[1]}).status_code
        == 401
    )
    fresh = Api(client, login(client, OPERATOR[0], "brand-new-1"))
    assert fresh.get("/users/me").json()["phone_number"] == "+998901112233"


def test_a_superuser_creates_users_and_a_taken_phone_is_409(client: TestClient, admin: Api) -> None:
    created = admin.post("/users", json={"phone_number": "+998 93 555 44 33", "password": "worker-pass"})
    assert created.status_code == 200
    assert created.json() == {
        "id": 3,
        "phone_number": "+998935554433",
        "is_active": True,
        "is_superuser": False,
        "internal_scale_id": None,
    }
    assert Api(client, login(client, "+998935554433", "worker-pass")).get("/users/me").json()["id"] == 3
    again = admin.post("/users", json={"phone_number": "+998935554433", "password": "other-pass"})
    assert (again.status_code, again.json()) == (
        409,
        {"detail": "Пользователь с номером +998935554433 уже существует"},
    )


def test_an_operator_may_not_create_users(operator: Api) -> None:
    response = operator.post("/users", json={"phone_number": "+998935554433", "password": "worker-pass"})
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Действие доступно только администратору"},
    )


def test_a_malformed_phone_is_422(admin: Api) -> None:
    response = admin.post("/users", json={"phone_number": "call me", "password": "worker-pass"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "phone_number"]
    assert "7–15 цифр" in response.json()["detail"][0]["msg"]


def test_user_from_token_gives_the_websocket_caller_or_none(
    client: TestClient, settings: WeighbridgeSettings, admin: Api
) -> None:
    runtime = build_runtime(settings)
    try:
        user = user_from_token(runtime, admin.token)
        assert user is not None
        assert (user.id, user.phone_number) == (1, "+998901234567")
        assert user_from_token(runtime, "garbage") is None
        assert user_from_token(runtime, admin.token + "x") is None
    finally:
        runtime.database.dispose()


def test_the_app_builds_on_its_own_runtime_and_leaves_root_to_the_page(settings: WeighbridgeSettings) -> None:
    with TestClient(create_app(settings)) as client:
        root = client.get("/", follow_redirects=False)  # the operator page (weighbridge/page), not a redirect
        assert (root.status_code, root.headers["content-type"]) == (200, "text/html; charset=utf-8")
        assert client.get("/health").status_code == 200


def test_a_login_with_a_nul_character_is_422_before_any_query(client: TestClient) -> None:
    response = client.post(f"{API}/auth/login", data={"username": "+99890\x00", "password": "x"})
    assert response.status_code == 422
    assert [(item["loc"], item["msg"]) for item in response.json()["detail"]] == [
        (["body", "username"], "String must not contain NUL characters")
    ]


def test_a_websocket_with_a_token_is_accepted_and_without_one_closed_1008(
    settings: WeighbridgeSettings, database: Database
) -> None:
    runtime = build_runtime(settings, database)
    app = create_app(settings, runtime=runtime)

    @app.websocket("/ws-probe")
    async def probe(websocket: WebSocket) -> None:
        user = await authenticate_websocket(websocket, lambda token: user_from_token(runtime, token))
        if user is not None:
            await websocket.accept()
            await websocket.send_json({"phone_number": user.phone_number})
            await websocket.close()

    with TestClient(app) as client:
        token = login(client, *OPERATOR)
        with client.websocket_connect(f"/ws-probe?token={token}") as socket:
            assert socket.receive_json() == {"phone_number": "+998901112233"}
        for query in ("", "?token=garbage"):
            with pytest.raises(WebSocketDisconnect) as refused, client.websocket_connect(f"/ws-probe{query}"):
                pass
            assert refused.value.code == 1008
