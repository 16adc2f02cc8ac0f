"""Registration, login by phone, the profile, and the envelope of their errors."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from opsuite.core.db import Database
from opsuite.powerbank.orders.models import Order
from opsuite.powerbank.users.models import User
from tests.powerbank.helpers import PENDING, SERVICE_ADMIN, START, USER, Api, login

LOGIN_REFUSED = "Неверный номер телефона, пароль или пользователь не подтвержден администратором"


def test_register_creates_a_pending_user_who_cannot_log_in(client: TestClient) -> None:
    body = {
        "fio": "Анна Новая",
        "phone_e164": "89001112233",
        "email": "Anna@Example.com",
        "password": "secret12",
    }
    response = client.post("/api/auth/register", json=body)
    assert response.status_code == 201
    answer = response.json()
    assert answer["success"] is True
    assert answer["status"] == "pending"
    assert answer["data"] == {"user_id": answer["user_id"], "status": "pending"}
    assert answer["message"] == "Регистрация успешна. Дождитесь подтверждения администратором."
    refused = client.post("/api/auth/login", json={"phone_e164": "+79001112233", "password": "secret12"})
    assert refused.status_code == 401
    assert refused.json() == {"success": False, "error": LOGIN_REFUSED}
    assert refused.headers["www-authenticate"] == "Bearer"


def test_register_refuses_a_taken_phone_or_email_in_any_case(client: TestClient) -> None:
    taken_email = {"phone_e164": "+79001112299", "email": "USER@example.com"}
    taken_phone = {"phone_e164": USER, "email": "fresh@example.com"}
    for body in (taken_email, taken_phone):
        response = client.post("/api/auth/register", json=body)
        assert response.status_code == 400
        assert response.json() == {
            "success": False,
            "error": "Пользователь с таким телефоном или email уже существует",
        }


def test_a_schema_error_is_400_in_the_envelope_naming_the_field(client: TestClient) -> None:
    response = client.post("/api/auth/register", json={"phone_e164": "12", "email": "nobody"})
    assert response.status_code == 400
    answer = response.json()
    assert answer["success"] is False
    assert answer["error"] == "Неверные параметры запроса"
    assert [detail["field"] for detail in answer["details"]] == ["phone_e164", "email"]


def test_login_answers_token_and_user(client: TestClient) -> None:
    response = client.post("/api/auth/login", json={"phone_e164": USER, "password": "demo1234"})
    assert response.status_code == 200
    answer = response.json()
    user = answer["user"]
    assert answer["message"] == "Вход выполнен успешно"
    assert answer["data"]["token"] == answer["token"]
    assert user["phone_e164"] == USER
    assert user["role"] == "user"
    assert user["status"] == "active"
    assert user["powerbank_limit"] is None
    assert user["created_at"] == "2026-03-10T12:00:00+03:00"
    assert user["last_login_at"] == "2026-03-10T12:00:00+03:00"


def test_login_gives_one_401_for_wrong_unknown_pending_and_overlong(client: TestClient) -> None:
    for phone, password in (
        (USER, "wrong-password"),
        ("+79990000000", "demo1234"),
        (PENDING, "demo1234"),
        (USER, "x" * 37),
        ("not a phone", "demo1234"),
    ):
        response = client.post("/api/auth/login", json={"phone_e164": phone, "password": password})
        assert response.status_code == 401, (phone, password)
        assert response.json() == {"success": False, "error": LOGIN_REFUSED}


def test_a_bcrypt_hash_is_verified_and_upgraded_to_argon2(client: TestClient, database: Database) -> None:
    import bcrypt

    with database.session() as session:
        row = session.scalar(select(User).where(User.phone_e164 == USER))
        assert row is not None
        row.password_hash = bcrypt.hashpw(b"imported1", bcrypt.gensalt(rounds=4)).decode()
    login(client, USER, "imported1")
    with database.session(write=False) as session:
        stored = session.scalar(select(User.password_hash).where(User.phone_e164 == USER))
    assert stored is not None
    assert stored.startswith("$argon2")


def test_profile_needs_a_token_and_shows_the_caller(client: TestClient, user: Api) -> None:
    anonymous = client.get("/api/auth/profile")
    assert anonymous.status_code == 401
    assert anonymous.json() == {"success": False, "error": "Требуется авторизация"}
    forged = Api(client, "not.a.token").get("/api/auth/profile")
    assert forged.status_code == 401
    assert forged.json()["error"] == "Недействительный или просроченный токен"
    answer = user.get("/api/auth/profile").json()
    assert answer["success"] is True
    assert answer["user"]["fio"] == "Иван Пользователь"
    assert answer["data"] == {"user": answer["user"]}


def test_profile_update_changes_name_and_password_and_ends_old_tokens(client: TestClient, user: Api) -> None:
    refused = user.put("/api/auth/profile", json={"password": "newpass1", "current_password": "nope"})
    assert refused.status_code == 400
    assert refused.json()["error"] == "Неверный текущий пароль"
    changed = user.put(
        "/api/auth/profile",
        json={"fio": "Иван Новый", "password": "newpass1", "current_password": "demo1234"},
    )
    assert changed.status_code == 200
    assert changed.json()["user"]["fio"] == "Иван Новый"
    assert changed.json()["message"] == "Профиль обновлен"
    assert user.get("/api/auth/profile").status_code == 401
    assert login(client, USER, "newpass1").get("/api/auth/profile").json()["user"]["phone_e164"] == USER


def test_profile_update_refuses_an_email_taken_by_another(user: Api) -> None:
    response = user.put("/api/auth/profile", json={"email": "Service@example.com"})
    assert response.status_code == 400
    assert response.json()["error"] == "Пользователь с таким телефоном или email уже существует"


def test_service_admin_logs_in_with_the_role(client: TestClient) -> None:
    answer = login(client, SERVICE_ADMIN).get("/api/auth/profile").json()
    assert answer["user"]["role"] == "service_admin"
    assert answer["user"]["parent_org_unit_id"] is None


def test_too_many_wrong_logins_are_400_with_retry_after(client: TestClient) -> None:
    wrong = {"phone_e164": USER, "password": "wrong-password"}
    for _ in range(5):
        assert client.post("/api/auth/login", json=wrong).status_code == 401
    throttled = client.post("/api/auth/login", json={"phone_e164": USER, "password": "demo1234"})
    assert throttled.status_code == 400
    retry_after = int(throttled.headers["retry-after"])
    assert 0 < retry_after <= 300  # the rest of the 300 s window, on the throttle's wall clock
    assert throttled.json() == {
        "success": False,
        "error": f"Слишком много попыток, повторите через {retry_after} с",
    }


def test_user_profile_counts_the_callers_orders(user: Api, database: Database) -> None:
    empty = user.get("/api/user/profile").json()
    assert empty["data"]["statistics"] == {"active_orders": 0, "total_orders": 0}
    assert empty["data"]["user"]["phone_e164"] == USER
    with database.session() as session:
        user_id = session.scalar(select(User.id).where(User.phone_e164 == USER))
        for bank, status, completed, deleted in (
            (1, "borrow", None, None),
            (2, "return", START, None),
            (3, "return", START, START),
        ):
            session.add(
                Order(
                    user_id=user_id,
                    powerbank_id=bank,
                    station_id=1,
                    status=status,
                    timestamp=START,
                    completed_at=completed,
                    deleted_at=deleted,
                )
            )
    assert user.get("/api/user/profile").json()["data"]["statistics"] == {
        "active_orders": 1,
        "total_orders": 2,
    }
