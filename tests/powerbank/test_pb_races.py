"""Racing requests leave one winner and clear 400s, never a 500 or a second row."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from opsuite.core.db import Database
from opsuite.powerbank.users.models import User

RACERS = 8


def test_one_of_several_racing_registrations_of_a_phone_wins(client: TestClient, database: Database) -> None:
    start = Barrier(RACERS)

    def register(number: int) -> int:
        body = {"phone_e164": "+79005550777", "email": f"racer{number}@example.com", "password": "secret12"}
        start.wait()
        return client.post("/api/auth/register", json=body).status_code

    with ThreadPoolExecutor(RACERS) as pool:
        statuses = sorted(pool.map(register, range(RACERS)))
    assert statuses == [201] + [400] * (RACERS - 1)
    with database.session(write=False) as session:
        assert session.scalar(select(func.count()).where(User.phone_e164 == "+79005550777")) == 1
