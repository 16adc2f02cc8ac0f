"""Shared pieces of the weighbridge API tests: users of the template, a client with a token."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

SECRET = "test-secret-key-for-weighbridge-0123456789"
ADMIN = ("+998901234567", "admin-pass-1")
OPERATOR = ("+998901112233", "operator-pass-1")
API = "/api/v1"


class Api:
    """A TestClient that prefixes `/api/v1` and sends a bearer token."""

    def __init__(self, client: TestClient, token: str) -> None:
        self.client = client
        self.token = token

    def call(self, method: str, path: str, **kwargs: Any) -> Response:
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return self.client.request(method, API + path, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Response:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Response:
        return self.call("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> Response:
        return self.call("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Response:
        return self.call("DELETE", path, **kwargs)


def login(client: TestClient, phone: str, password: str) -> str:
    """A token for a user."""
    response = client.post(f"{API}/auth/login", data={"username": phone, "password": password})
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])
