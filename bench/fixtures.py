"""Throwaway migrated databases and the passenger car every waybills benchmark drives."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from opsuite.core.db import Database
from opsuite.core.migrations import upgrade
from opsuite.waybills.fleet import service as fleet_service
from opsuite.waybills.fleet.schemas import PassengerCarIn, PassengerCarNormIn, StateIn
from opsuite.waybills.kinds import PASSENGER
from opsuite.waybills.users.admin import create_admin

ADMIN_LOGIN = "bench-admin"
ADMIN_PASSWORD = "bench-pass-1"
SECRET = "bench-secret-key-for-waybills-0123456789"


def migrated(url: str) -> str:
    """Apply the waybills migrations to `url`, add the benchmark administrator, and return `url`."""
    upgrade("opsuite.waybills", url)
    database = Database(url)
    try:
        with database.session() as session:
            create_admin(session, login=ADMIN_LOGIN, password=ADMIN_PASSWORD)
    finally:
        database.dispose()
    return url


def sqlite_url(directory: Path) -> str:
    """A migrated SQLite file in `directory`."""
    return migrated(f"sqlite:///{directory / 'waybills.sqlite3'}")


@contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    """A migrated temporary database on the PostgreSQL server at `server_url`, dropped afterwards."""
    server = make_url(server_url)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"opsuite_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield migrated(server.set(database=name).render_as_string(hide_password=False))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def passenger_car(session: Session, start: dt.date) -> int:
    """A passenger car with summer and winter norms and a start state, all from `start`; its id."""
    car = fleet_service.create_car(
        session, kind=PASSENGER, body=PassengerCarIn(number="А001АА54", brand="Toyota", model="Camry")
    )
    for season, city, area in (("summer", "0.090", "0.110"), ("winter", "0.100", "0.120")):
        fleet_service.create_norm(
            session,
            kind=PASSENGER,
            body=PassengerCarNormIn(car=car.id, season=season, city_norm=Decimal(city),
                                    area_norm=Decimal(area), date=start),
        )  # fmt: skip
    fleet_service.create_state(
        session,
        kind=PASSENGER,
        body=StateIn(car=car.id, odometer=100_000, fuel=Decimal("40.000"), date=start),
    )
    return int(car.id)
