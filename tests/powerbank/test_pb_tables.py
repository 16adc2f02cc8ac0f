"""The first migration builds the models' tables, and the database itself refuses double issues."""

from __future__ import annotations

import warnings

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from opsuite.core.db import Database
from opsuite.powerbank.commands.models import CabinetCommand
from opsuite.powerbank.orders.models import Order
from opsuite.powerbank.powerbanks.models import Powerbank
from opsuite.powerbank.stations.models import Station
from opsuite.powerbank.tables import metadata
from opsuite.powerbank.users.models import User
from tests.powerbank.helpers import START, USER


def test_the_migration_matches_the_models(database: Database) -> None:
    with database.session(write=False) as session, warnings.catch_warnings():
        # Neither dialect reflects the expression index on lower(email); the next test checks it by its effect.
        warnings.filterwarnings("ignore", message=".*expression-based index.*uq_app_user_email_lower")
        context = MigrationContext.configure(session.connection(), opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_an_email_is_unique_without_regard_to_case(database: Database) -> None:
    def user(phone: str, email: str) -> User:
        return User(
            phone_e164=phone,
            email=email,
            password_hash="x",
            status="active",
            token_version=0,
            created_at=START,
        )

    assert _insert_fails(database, user("+79005550001", "USER@EXAMPLE.COM"))
    assert not _insert_fails(database, user("+79005550001", "user2@example.com"))


def _parts(session: Session) -> tuple[int, int, int, int]:
    user = session.scalar(select(User.id).where(User.phone_e164 == USER))
    banks = session.scalars(select(Powerbank.id).order_by(Powerbank.id).limit(2)).all()
    station = session.scalar(select(Station.id).where(Station.box_id == "ST001"))
    assert user is not None
    assert station is not None
    return user, banks[0], banks[1], station


def _order(user: int, bank: int, station: int, status: str) -> Order:
    completed = None if status in ("pending", "borrow", "force_eject") else START
    return Order(
        user_id=user,
        powerbank_id=bank,
        station_id=station,
        status=status,
        timestamp=START,
        completed_at=completed,
    )


def _insert_fails(database: Database, *rows: object) -> bool:
    try:
        with database.session() as session:
            session.add_all(rows)
            session.flush()
    except IntegrityError:
        return True
    return False


def test_a_bank_has_one_active_order_however_the_rows_come(database: Database) -> None:
    with database.session(write=False) as session:
        user, bank, _other, station = _parts(session)
    assert not _insert_fails(database, _order(user, bank, station, "borrow"))
    assert _insert_fails(database, _order(user, bank, station, "force_eject"))
    assert not _insert_fails(
        database, _order(user, bank, station, "return"), _order(user, bank, station, "failed")
    )


def test_a_user_has_one_pending_borrow(database: Database) -> None:
    with database.session(write=False) as session:
        user, bank, other, station = _parts(session)
    assert not _insert_fails(database, _order(user, bank, station, "pending"))
    assert _insert_fails(database, _order(user, other, station, "pending"))
    assert not _insert_fails(database, _order(user, other, station, "borrow"))


@pytest.mark.parametrize(("status", "completed"), [("borrow", START), ("return", None)])
def test_completed_at_is_set_exactly_on_closed_orders(
    database: Database, status: str, completed: object
) -> None:
    with database.session(write=False) as session:
        user, bank, _other, station = _parts(session)
    row = _order(user, bank, station, status)
    row.completed_at = completed  # type: ignore[assignment]
    assert _insert_fails(database, row)


def test_a_cabinet_has_one_eject_in_flight(database: Database) -> None:
    with database.session(write=False) as session:
        _user, _bank, _other, station = _parts(session)

    def command(kind: str, state: str) -> CabinetCommand:
        return CabinetCommand(
            station_id=station, kind=kind, slot_number=1, state=state, created_at=START, deadline=START
        )

    assert not _insert_fails(database, command("eject", "sent"), command("inventory", "sent"))
    assert _insert_fails(database, command("force_eject", "queued"))
    assert not _insert_fails(database, command("eject", "done"))
