"""Shared pieces of the weighbridge API tests: users of the template, a client with a token."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi.testclient import TestClient

from opsuite.core.db import Database
from opsuite.core.plates import plate_key
from opsuite.weighbridge.trucks.models import ENTRANCE, EXIT, Action, Truck
from tests.bearer import BearerApi

SECRET = "test-secret-key-for-weighbridge-0123456789"
ADMIN = ("+998901234567", "admin-pass-1")
OPERATOR = ("+998901112233", "operator-pass-1")
API = "/api/v1"


class Api(BearerApi):
    """A TestClient that prefixes `/api/v1` and sends a bearer token."""

    prefix = API


def login(client: TestClient, phone: str, password: str) -> str:
    """A token for a user."""
    response = client.post(f"{API}/auth/login", data={"username": phone, "password": password})
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def add_visit(
    database: Database,
    number: str,
    *,
    at: datetime,
    entrance: float | None = None,
    exit_weight: float | None = None,
    product_id: int | None = None,
    operator_id: int | None = 2,
) -> int:
    """Seed a visit created at `at` with its weighings (ENTRANCE 2 min later, EXIT 40 min later); its id."""
    with database.session() as session:
        truck = Truck(
            truck_number=number,
            number_key=plate_key(number),
            product_id=product_id,
            is_finished=exit_weight is not None,
            created_at=at,
        )
        weighings = [(ENTRANCE, entrance, 2), (EXIT, exit_weight, 40)]
        truck.actions = [
            Action(
                action_type=kind,
                weight=kg,
                operator_id=operator_id,
                product_id=product_id,
                created_at=at + timedelta(minutes=minutes),
            )
            for kind, kg, minutes in weighings
            if kg is not None
        ]
        session.add(truck)
        session.flush()
        return truck.id
