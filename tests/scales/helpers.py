"""Shared pieces of the scales API tests: users, a controllable clock, fakes by port, a logged-in client."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from fastapi.testclient import TestClient
from tests.bearer import BearerApi

from opsuite.scales.devices.fake import FakeScale
from opsuite.scales.devices.interface import ConnectionParams, ScaleDevice

SECRET = "test-secret-key-for-scales-0123456789abcdef"
FERNET_KEY = "pZ0bQ2cJ3gQyG7mEo5kV8hC1dL4sN6tW9xR2aF7uY0k="
ALICE = ("alice@example.com", "alice-pass-1")
BOB = ("bob@example.com", "bob-pass-12")
DEVICE = {"name": "Весы 1", "ip": "127.0.0.1", "port": 1111, "protocol": "TCP", "password": "1234"}


class Scales:
    """A FakeScale per port, built on first use; what the app's device factory hands out."""

    def __init__(self) -> None:
        self.fakes: dict[int, FakeScale] = {}
        self.params: list[ConnectionParams] = []

    def __getitem__(self, port: int) -> FakeScale:
        return self.fakes.setdefault(port, FakeScale())

    def factory(self, params: ConnectionParams) -> ScaleDevice:
        self.params.append(params)
        return self[params.port]


class GatedScale(FakeScale):
    """A fake whose fetch waits until the test opens the gate: an operation held in flight."""

    def __init__(self, products: Mapping[str, Any] | None = None) -> None:
        super().__init__(products)
        self.entered = threading.Event()
        self.gate = threading.Event()

    async def fetch_products(self) -> dict[str, Any]:
        import asyncio

        self.entered.set()
        await asyncio.to_thread(self.gate.wait, 10)
        return await super().fetch_products()


class Api(BearerApi):
    """A TestClient with a bearer token."""

    def add_device(self, **overrides: Any) -> dict[str, Any]:
        response = self.post("/devices", json={**DEVICE, **overrides})
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body


def login(client: TestClient, email: str, password: str) -> str:
    """A token for a user."""
    response = client.post("/auth/login", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])
