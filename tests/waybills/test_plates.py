"""Car numbers that look the same are the same car: uniqueness, lookup and the migration of old rows."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from opsuite.core.migrations import upgrade
from opsuite.waybills.messages import UNIQUE
from tests.conftest import POSTGRES_ENV, database_backend
from tests.waybills.helpers import Api

KINDS = [("passenger-cars", {}), ("fire-trucks", {"type": "АЦ-3,2-40"})]


@pytest.mark.parametrize(("slug", "extra"), KINDS)
def test_a_number_in_the_other_script_case_or_spacing_is_taken(
    api: Api, slug: str, extra: dict[str, str]
) -> None:
    car = api.ok("POST", f"{slug}/", {"number": "А001АА54", "brand": "x", "model": "y", **extra}, status=201)
    assert car["number"] == "А001АА54"  # shown as typed
    for twin in ("A001AA54", "a001aa54", "А001АА 54", "а001Аa54"):
        clash = api.post(f"{slug}/", json={"number": twin, "brand": "x", "model": "y", **extra})
        assert (clash.status_code, clash.json()) == (400, {"number": [UNIQUE]}), twin


@pytest.mark.parametrize(("slug", "extra"), KINDS)
def test_lookup_by_number_finds_either_spelling(api: Api, slug: str, extra: dict[str, str]) -> None:
    first = api.ok(
        "POST", f"{slug}/", {"number": "Х123ХХ77", "brand": "x", "model": "y", **extra}, status=201
    )
    api.ok("POST", f"{slug}/", {"number": "K456KK77", "brand": "x", "model": "y", **extra}, status=201)
    for spelling in ("Х123ХХ77", "x123xx77", "X123XX 77"):
        assert [car["id"] for car in api.ok("GET", f"{slug}/", params={"number": spelling})] == [first["id"]]
    assert api.ok("GET", f"{slug}/", params={"number": "X999XX77"}) == []


def test_a_car_keeps_its_number_in_another_spelling_and_cannot_take_anothers(api: Api) -> None:
    car = api.ok("POST", "passenger-cars/", {"number": "В777ВВ54", "brand": "x", "model": "y"}, status=201)
    other = api.ok("POST", "passenger-cars/", {"number": "E001EE54", "brand": "x", "model": "y"}, status=201)
    # Re-typing its own number in Latin is no clash with itself; the display follows what was typed.
    same = api.ok("PUT", f"passenger-cars/{car['id']}/", {"number": "B777BB54", "brand": "x", "model": "y"})
    assert same["number"] == "B777BB54"
    taken = api.patch(f"passenger-cars/{car['id']}/", json={"number": "е001ее54"})
    assert (taken.status_code, taken.json()) == (400, {"number": [UNIQUE]})
    api.ok("DELETE", f"passenger-cars/{other['id']}/", status=204)
    assert api.ok("PATCH", f"passenger-cars/{car['id']}/", {"number": "е001ее54"})["number"] == "е001ее54"


# The migration of existing rows ------------------------------------------------------------------------


@pytest.fixture
def empty_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of this run's backend, for migrating step by step."""
    if database_backend() == "sqlite":
        yield f"sqlite:///{tmp_path / 'plates.sqlite3'}"
        return
    import os

    server = make_url(os.environ[POSTGRES_ENV])
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"opsuite_plates_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_migration_keys_old_rows_and_keeps_both_of_a_colliding_pair(empty_url: str) -> None:
    upgrade("opsuite.waybills", empty_url, "0002")
    engine = create_engine(empty_url)
    rows = [
        (1, "А001АА54", None),  # Cyrillic: the oldest holder of A001AA54
        (2, "A001AA54", None),  # Latin twin: collides with 1
        (3, "a001aa 54", "2024-01-01 00:00:00"),  # deleted: keyed, never marked
        (4, "K456KK77", None),
        (5, "а001аа54", None),  # a third live spelling: also marked as a duplicate of 1
    ]
    with engine.begin() as conn:
        for row_id, number, deleted_at in rows:
            conn.execute(
                text(
                    "INSERT INTO passenger_car (id, number, brand, model, deleted_at) VALUES (:i, :n, 'b', 'm', :d)"
                ),
                {"i": row_id, "n": number, "d": deleted_at},
            )
        conn.execute(
            text("INSERT INTO fire_truck (id, number, brand, model, type) VALUES (1, 'х1', 'b', 'm', 't')")
        )
    upgrade("opsuite.waybills", empty_url)
    with engine.begin() as conn:
        cars = conn.execute(
            text("SELECT id, number, number_key, duplicate_of FROM passenger_car ORDER BY id")
        ).all()
        trucks = conn.execute(text("SELECT number, number_key, duplicate_of FROM fire_truck")).all()
        indexes = {index["name"] for index in inspect(conn).get_indexes("passenger_car")}
    assert [tuple(car) for car in cars] == [
        (1, "А001АА54", "A001AA54", None),
        (2, "A001AA54", "A001AA54", 1),
        (3, "a001aa 54", "A001AA54", None),
        (4, "K456KK77", "K456KK77", None),
        (5, "а001аа54", "A001AA54", 1),
    ]
    assert [tuple(truck) for truck in trucks] == [("х1", "X1", None)]
    assert "uq_passenger_car_number_key_live" in indexes
    assert "uq_passenger_car_number_live" not in indexes
    # The database itself now refuses a fourth live A001AA54 that is not marked.
    with pytest.raises(Exception, match=r"(?i)unique"), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO passenger_car (id, number, number_key, brand, model) VALUES (6, 'A001AA54', 'A001AA54', 'b', 'm')"
            )
        )
    engine.dispose()


def test_a_marked_duplicate_stays_listed_and_is_freed_by_a_new_number(empty_url: str, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from opsuite.core.db import Database
    from opsuite.waybills.app import create_app
    from opsuite.waybills.settings import WaybillsSettings
    from opsuite.waybills.users.admin import create_admin
    from tests.waybills.helpers import ADMIN_LOGIN, ADMIN_PASSWORD, SECRET

    upgrade("opsuite.waybills", empty_url, "0002")
    engine = create_engine(empty_url)
    with engine.begin() as conn:
        for row_id, number in ((1, "А001АА54"), (2, "A001AA54")):
            conn.execute(
                text("INSERT INTO passenger_car (id, number, brand, model) VALUES (:i, :n, 'b', 'm')"),
                {"i": row_id, "n": number},
            )
    engine.dispose()
    upgrade("opsuite.waybills", empty_url)
    database = Database(empty_url)
    with database.session() as session:
        create_admin(session, login=ADMIN_LOGIN, password=ADMIN_PASSWORD)
    settings = WaybillsSettings(database_url=empty_url, secret_key=SECRET, core={"var_dir": tmp_path})
    with TestClient(create_app(settings, database)) as client:
        api = Api(client)
        assert [car["id"] for car in api.ok("GET", "passenger-cars/", params={"number": "a001aa54"})] == [
            1,
            2,
        ]
        # Editing the duplicate without changing its plate works; a free number clears its mark.
        api.ok("PATCH", "passenger-cars/2/", {"number": "A001AA54", "brand": "Lada"})
        api.ok("PATCH", "passenger-cars/2/", {"number": "A002AA54"})
        clash = api.patch("passenger-cars/2/", json={"number": "а001аа54"})
        assert (clash.status_code, clash.json()) == (400, {"number": [UNIQUE]})
    database.dispose()
    with create_engine(empty_url).connect() as conn:
        assert conn.execute(
            text("SELECT number_key, duplicate_of FROM passenger_car WHERE id = 2")
        ).one() == (
            "A002AA54",
            None,
        )
