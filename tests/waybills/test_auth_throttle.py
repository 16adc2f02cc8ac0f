"""Login throttling over real sockets, keys by address, equal work, tokens by audience, no write lock held."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from opsuite.core import security
from opsuite.core.db import Database
from opsuite.core.security import encode_token, fingerprint
from opsuite.waybills.app import create_app
from opsuite.waybills.settings import WaybillsSettings
from opsuite.waybills.users.models import User
from tests.conftest import REDIS_ENV, service_url
from tests.live import serve
from tests.waybills.helpers import ADMIN_LOGIN, ADMIN_PASSWORD, SECRET, Api

LOGIN = "/api/auth/login/"
THROTTLED = "Слишком много неудачных попыток входа. Повторите через {wait} с."


def _guess(base: str, login: str = ADMIN_LOGIN, password: str = "wrong-pass") -> int:
    with httpx.Client(base_url=base, timeout=60) as http:
        return http.post(LOGIN, json={"login": login, "password": password}).status_code


def _forty_at_once(bases: list[str]) -> list[int]:
    start = threading.Barrier(40)

    def one(n: int) -> int:
        start.wait(timeout=30)
        return _guess(bases[n % len(bases)])

    with ThreadPoolExecutor(40) as pool:
        return list(pool.map(one, range(40)))


def test_forty_concurrent_wrong_logins_get_at_most_the_limit_of_answers(app: Any) -> None:
    with serve(app) as base:
        statuses = _forty_at_once([base])
        assert sorted(statuses) == [401] * 5 + [429] * 35
        with httpx.Client(base_url=base, timeout=60) as http:
            response = http.post(LOGIN, json={"login": ADMIN_LOGIN, "password": ADMIN_PASSWORD})
    assert response.status_code == 429
    wait = int(response.headers["Retry-After"])
    assert 200 <= wait <= 300  # generous: the window started with the first of the 40
    assert response.json() == {"detail": THROTTLED.format(wait=wait)}


def test_the_owner_logs_in_from_another_address_while_an_attacker_is_locked_out(app: Any) -> None:
    with TestClient(app, client=("203.0.113.7", 50000)) as attacker:
        for _ in range(5):
            assert attacker.post(LOGIN, json={"login": ADMIN_LOGIN, "password": "guess"}).status_code == 401
        assert (
            attacker.post(LOGIN, json={"login": ADMIN_LOGIN, "password": ADMIN_PASSWORD}).status_code == 429
        )
    with TestClient(app, client=("198.51.100.20", 50000)) as owner:
        response = owner.post(LOGIN, json={"login": ADMIN_LOGIN, "password": ADMIN_PASSWORD})
    assert response.status_code == 200, response.text


def test_an_unknown_login_does_the_same_hash_work_as_a_known_one(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    hashed: list[str] = []
    real = security._password_hash.verify_and_update

    def counting(password: str, stored: str) -> Any:
        hashed.append(stored.split("$")[1])
        return real(password, stored)

    monkeypatch.setattr(security._password_hash, "verify_and_update", counting)
    known = client.post(LOGIN, json={"login": ADMIN_LOGIN, "password": "wrong-pass"})
    unknown = client.post(LOGIN, json={"login": "nobody-at-all", "password": "wrong-pass"})
    assert (known.status_code, unknown.status_code) == (401, 401)
    assert known.json() == unknown.json()
    assert hashed == ["argon2id", "argon2id"]


def _two_instances_share_the_limit(settings: WaybillsSettings, database_url: str) -> None:
    """40 wrong logins spread over two app instances on one database: 5 answered, 35 throttled."""
    databases = [Database(database_url), Database(database_url)]
    try:
        apps = [create_app(settings, database) for database in databases]
        with serve(apps[0]) as first, serve(apps[1]) as second:
            statuses = _forty_at_once([first, second])
    finally:
        for database in databases:
            database.dispose()
    assert sorted(statuses) == [401] * 5 + [429] * 35


def test_two_app_instances_on_one_database_share_the_limit(
    settings: WaybillsSettings, database_url: str
) -> None:
    _two_instances_share_the_limit(settings, database_url)


@pytest.fixture
def redis_settings(database_url: str, tmp_path: Path) -> Iterator[WaybillsSettings]:
    """Settings with the test Redis; the throttle's keys of this system are removed before and after."""
    url = service_url(REDIS_ENV)
    import redis

    client = redis.Redis.from_url(url)

    def clean() -> None:
        for key in client.scan_iter(match="opsuite:throttle:waybills:*"):
            client.delete(key)

    clean()
    yield WaybillsSettings(
        database_url=database_url, secret_key=SECRET, core={"var_dir": tmp_path, "redis_url": url}
    )
    clean()
    client.close()


@pytest.mark.redis
def test_two_app_instances_on_redis_share_the_limit(
    redis_settings: WaybillsSettings, database_url: str
) -> None:
    _two_instances_share_the_limit(redis_settings, database_url)


def test_a_scales_token_or_one_without_audience_is_refused(api: Api, database: Database) -> None:
    admin = api.ok("GET", "auth/me/")
    with database.session(write=False) as session:
        stored = str(session.scalar(select(User.password).where(User.id == admin["id"])))
    claims = {
        "sub": str(admin["id"]),
        "login": ADMIN_LOGIN,
        "role": 1,
        "client": "web",
        "pwd_fp": fingerprint(stored),
    }
    own = encode_token(claims, SECRET, timedelta(minutes=5), audience="waybills")
    assert api.get("auth/me/", token=own).status_code == 200
    now = int(time.time())
    for token in (
        encode_token(claims, SECRET, timedelta(minutes=5), audience="scales"),
        jwt.encode({**claims, "iat": now, "exp": now + 300}, SECRET, algorithm="HS256"),
    ):
        response = api.get("auth/me/", token=token)
        assert (response.status_code, response.json()) == (401, {"detail": "Неверный токен"})


def test_logins_hashing_do_not_hold_the_write_lock(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()
    inside = threading.Semaphore(0)
    real = security._password_hash.verify_and_update

    def held(password: str, stored: str) -> Any:
        inside.release()
        gate.wait(timeout=60)  # a hash that takes as long as the test needs
        return real(password, stored)

    with serve(app) as base, httpx.Client(base_url=base, timeout=60) as http:
        token = http.post(LOGIN, json={"login": ADMIN_LOGIN, "password": ADMIN_PASSWORD}).json()["access"]
        monkeypatch.setattr(security._password_hash, "verify_and_update", held)
        logins = [ADMIN_LOGIN] * 5 + [f"ghost{n}" for n in range(15)]
        with ThreadPoolExecutor(20) as pool:
            answers = [pool.submit(_guess, base, login) for login in logins]
            deadline = time.monotonic() + 30
            entered = sum(inside.acquire(timeout=max(0.0, deadline - time.monotonic())) for _ in logins)
            # Every login is now in its hash; a write must not wait for any of them.
            car = {"number": "A001AA54", "brand": "Toyota", "model": "Camry"}
            try:
                created = http.post(
                    "/api/passenger-cars/", json=car, headers={"Authorization": f"Bearer {token}"}, timeout=15
                )
            finally:
                gate.set()
            statuses = [answer.result() for answer in answers]
    assert created.status_code == 201, created.text
    assert entered == 20
    assert statuses == [401] * 20
