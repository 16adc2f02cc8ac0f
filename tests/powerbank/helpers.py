"""Powerbank test helpers: fixed keys and times, the demo people, a logged-in API client."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from opsuite.core.security import encode_token
from opsuite.powerbank.auth.service import AUDIENCE
from opsuite.powerbank.demo import DEMO_PASSWORD
from tests.bearer import BearerApi

SECRET = "powerbank-test-secret-key-of-at-least-32-bytes"
FERNET_KEY = "oX1Qw1vY4hS3o2O3Y3bZr8d0bN3Jt6sXy7w6b0Qz8mE="
START = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)

SERVICE_ADMIN = "+79000000001"
GROUP_ADMIN = "+79000000002"
SUBGROUP_ADMIN = "+79000000003"
USER = "+79000000004"
PENDING = "+79000000005"


class Api(BearerApi):
    """A client that sends one user's bearer token."""


def bearer(client: TestClient, user_id: int, token_version: int = 0) -> Api:
    """A client with a token issued directly (no password hash to verify): for tests of what a token may do."""
    claims = {"sub": str(user_id), "tv": token_version}
    return Api(client, encode_token(claims, SECRET, dt.timedelta(hours=1), audience=AUDIENCE))


def login(client: TestClient, phone: str, password: str = DEMO_PASSWORD) -> Api:
    """Log in and return a client carrying the token (the login must succeed)."""
    response = client.post("/api/auth/login", json={"phone_e164": phone, "password": password})
    assert response.status_code == 200, response.text
    return Api(client, response.json()["token"])
