"""The system as the CLI sees it: admin create, demo data; and what the database itself refuses."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError

from opsuite.core.db import Database
from opsuite.core.plates import plate_key
from opsuite.systems import descriptor
from opsuite.weighbridge import demo
from opsuite.weighbridge.errors import BadRequest
from opsuite.weighbridge.settings import WeighbridgeSettings
from opsuite.weighbridge.trucks.models import ENTRANCE, Action, Truck
from opsuite.weighbridge.users import service as users_service
from tests.weighbridge.conftest import START
from tests.weighbridge.helpers import API, Api, add_visit, login


def test_admin_create_makes_an_active_superuser_or_resets_one(
    settings: WeighbridgeSettings, client: TestClient
) -> None:
    system = descriptor("weighbridge")
    assert (system.name, system.port) == ("weighbridge", 8001)
    assert (
        system.create_admin(settings, "+998 90 000 00 01", "first-pass") == "created superuser +998900000001"
    )
    assert (
        system.create_admin(settings, "+998900000001", "second-pass")
        == "password reset for superuser +998900000001"
    )
    me = Api(client, login(client, "+998900000001", "second-pass")).get("/users/me").json()
    assert (me["is_superuser"], me["is_active"]) == (True, True)
    # The operator of the template becomes a superuser when named.
    assert (
        system.create_admin(settings, "+998901112233", "op-pass-2")
        == "password reset for superuser +998901112233"
    )
    assert (
        Api(client, login(client, "+998901112233", "op-pass-2")).get("/users/me").json()["is_superuser"]
        is True
    )


def test_demo_loads_users_products_and_visits_once(database: Database, admin: Api) -> None:
    with database.session() as session:
        line = demo.load(session, now=START)
    assert line == (
        "demo superuser +998901234567 / demo1234, operator +998901112233 / operator1,"
        " 4 products, 4 visits (one still on the territory)"
    )
    with database.session() as session:
        assert demo.load(session, if_empty=True) == "not empty, demo data skipped"
    api = Api(admin.client, login(admin.client, "+998901234567", "demo1234"))
    trucks = api.get("/trucks").json()
    assert [(t["truck_number"], t["is_finished"], len(t["actions"])) for t in trucks] == [
        ("30C555DE", False, 1),
        ("01 123 ABC", True, 2),
        ("10B123CD", True, 2),
        ("01A777AA", True, 2),
    ]
    assert [p["name"] for p in api.get("/products").json()] == ["Karbamid", "Ko'mir", "Qum", "Sement"]
    summary = api.get("/reports/summary?date_from=2026-01-31&date_to=2026-02-01").json()
    assert summary == {"total_trucks": 4, "total_weight_in": 70950.0, "total_weight_out": 79000.0}


def test_the_database_allows_one_open_visit_per_plate(database: Database) -> None:
    add_visit(database, "01A777AA", at=START, entrance=10000.0, exit_weight=20000.0)
    add_visit(database, "01A777AA", at=START, entrance=10000.0)  # a finished one and an open one: fine
    with pytest.raises(IntegrityError):
        add_visit(database, "01 a 777 aa", at=START)


def test_the_database_allows_one_weighing_of_each_kind_per_visit(database: Database) -> None:
    truck_id = add_visit(database, "01A777AA", at=START, entrance=10000.0)
    with pytest.raises(IntegrityError), database.session() as session:
        session.add(Action(truck_id=truck_id, action_type=ENTRANCE, weight=10010.0, created_at=START))
    with pytest.raises(IntegrityError), database.session() as session:
        session.add(Action(truck_id=truck_id, action_type="TARE", weight=1.0, created_at=START))
    with database.session() as session:
        truck = session.get(Truck, truck_id)
        assert truck is not None
        assert [action.weight for action in truck.actions] == [10000.0]


def test_after_a_change_the_old_password_changes_nothing(database: Database, client: TestClient) -> None:
    with database.session() as session:
        user_id = users_service.set_superuser(session, phone="+998900000002", password="old-pass-1")[0].id
    users_service.change_password(
        database, user_id=user_id, old_password="old-pass-1", new_password="new-pass-1"
    )
    with pytest.raises(BadRequest, match="Неверный текущий пароль"):
        users_service.change_password(
            database, user_id=user_id, old_password="old-pass-1", new_password="other-2"
        )
    response = client.post(f"{API}/auth/login", data={"username": "+998900000002", "password": "new-pass-1"})
    assert response.status_code == 200


def test_a_plates_key_ignores_case_script_spaces_and_dashes() -> None:
    assert [plate_key(n) for n in ("01 а 777-аа", "01A777AA", "01—A·777 AA", " - ")] == [
        "01A777AA",
        "01A777AA",
        "01A777AA",
        "",
    ]
