"""Scales login and registration throttling: over a real socket, by address, equal work, no write lock held."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from tests.live import serve
from tests.scales.helpers import ALICE, DEVICE, login

from opsuite.core import security


def _guess(base: str, username: str = ALICE[0], password: str = "wrong-password") -> int:
    with httpx.Client(base_url=base, timeout=60) as http:
        return http.post("/auth/login", data={"username": username, "password": password}).status_code


def test_forty_concurrent_wrong_logins_get_at_most_the_limit_of_answers(app: Any) -> None:
    start = threading.Barrier(40)

    with serve(app) as base:

        def one(_n: int) -> int:
            start.wait(timeout=30)
            return _guess(base)

        with ThreadPoolExecutor(40) as pool:
            statuses = list(pool.map(one, range(40)))
        with httpx.Client(base_url=base, timeout=60) as http:
            response = http.post("/auth/login", data={"username": ALICE[0], "password": ALICE[1]})
    assert sorted(statuses) == [401] * 5 + [429] * 35
    assert response.status_code == 429
    wait = int(response.headers["Retry-After"])
    assert 200 <= wait <= 300  # generous: the window started with the first of the 40
    assert response.json() == {"detail": f"Слишком много попыток, повторите через {wait} с"}


def test_the_owner_logs_in_from_another_address_while_an_attacker_is_locked_out(app: Any) -> None:
    with TestClient(app, client=("203.0.113.7", 50000)) as attacker:
        for _ in range(5):
            response = attacker.post("/auth/login", data={"username": ALICE[0], "password": "guess-guess"})
            assert response.status_code == 401
        response = attacker.post("/auth/login", data={"username": ALICE[0], "password": ALICE[1]})
        assert response.status_code == 429
    with TestClient(app, client=("198.51.100.20", 50000)) as owner:
        assert login(owner, *ALICE)


def test_registrations_from_one_address_are_throttled(client: TestClient) -> None:
    answers = [
        client.post(
            "/auth/register", json={"email": f"u{n}@example.com", "password": "long-enough"}
        ).status_code
        for n in range(11)
    ]
    assert answers == [201] * 10 + [429]
    with TestClient(client.app, client=("198.51.100.20", 50000)) as elsewhere:
        response = elsewhere.post(
            "/auth/register", json={"email": "v@example.com", "password": "long-enough"}
        )
    assert response.status_code == 201


def test_logins_hashing_do_not_hold_the_write_lock(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()
    inside = threading.Semaphore(0)
    real = security._password_hash.verify_and_update

    def held(password: str, stored: str) -> Any:
        inside.release()
        gate.wait(timeout=60)  # a hash that takes as long as the test needs
        return real(password, stored)

    with serve(app) as base, httpx.Client(base_url=base, timeout=60) as http:
        token = http.post("/auth/login", data={"username": ALICE[0], "password": ALICE[1]}).json()[
            "access_token"
        ]
        monkeypatch.setattr(security._password_hash, "verify_and_update", held)
        users = [ALICE[0]] * 5 + [f"ghost{n}@example.com" for n in range(15)]
        with ThreadPoolExecutor(20) as pool:
            answers = [pool.submit(_guess, base, user) for user in users]
            deadline = time.monotonic() + 30
            entered = sum(inside.acquire(timeout=max(0.0, deadline - time.monotonic())) for _ in users)
            # Every login is now in its hash; an unrelated write must not wait for any of them.
            try:
                created = http.post(
                    "/devices", json=DEVICE, headers={"Authorization": f"Bearer {token}"}, timeout=15
                )
            finally:
                gate.set()
            statuses = [answer.result() for answer in answers]
    assert created.status_code == 201, created.text
    assert entered == 20
    assert statuses == [401] * 20
