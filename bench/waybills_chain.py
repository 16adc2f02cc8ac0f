"""Recomputing a 5,000-record chain after editing its first record, as a ratio to one Core select of it."""

from __future__ import annotations

import datetime as dt
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Select, insert, select
from sqlalchemy.engine import make_url

from bench.fixtures import ADMIN_LOGIN, passenger_car, postgres_database, sqlite_url
from opsuite.core.db import Database
from opsuite.waybills.fields import patch_model_of
from opsuite.waybills.fuel import chain
from opsuite.waybills.kinds import PASSENGER
from opsuite.waybills.sheets import service as sheets_service
from opsuite.waybills.sheets.schemas import PassengerCarRecordIn
from opsuite.waybills.users.models import User

POSTGRES_ENV = "OPSUITE_BENCH_POSTGRES_URL"
WAYBILLS = 1_000
RECORDS_PER_WAYBILL = 5
RECORDS = WAYBILLS * RECORDS_PER_WAYBILL
START = dt.date(2020, 1, 1)
SELECT_RUNS = 9
EDIT_RUNS = 5
AIM = 20.0
W, R = PASSENGER.waybill, PASSENGER.record
RecordChange = patch_model_of(PassengerCarRecordIn)


def build_chain(database: Database) -> int:
    """A car with a daily waybill of 5 trips for 1,000 days, inserted in bulk then recomputed once."""
    with database.session() as session:
        car_id = passenger_car(session, START)
        driver_id = session.scalar(select(User.id).where(User.login == ADMIN_LOGIN))
        session.execute(
            insert(W),
            [{"number": f"{n + 1:06d}", "car_id": car_id, "driver_id": driver_id, "norm_season": "summer",
              "fuel_type": "petrol", "date": START + dt.timedelta(days=n + 1)} for n in range(WAYBILLS)],
        )  # fmt: skip
        waybill_ids = session.scalars(select(W.id).where(W.car_id == car_id).order_by(W.date)).all()
        session.execute(
            insert(R),
            [{"waybill_id": waybill_id, "target": "Поездка", "departure_time": dt.time(8 + trip),
              "arrival_time": dt.time(9 + trip), "distance_city_km": 10, "distance_area_km": 5,
              "fuel_refueled": Decimal("1.500"), "fuel_used": Decimal("1.500")}
             for waybill_id in waybill_ids for trip in range(RECORDS_PER_WAYBILL)],
        )  # fmt: skip
        chain.recompute(session, PASSENGER, car_id, chain.CHAIN_START)
    return car_id


def chain_rows(car_id: int) -> Select[Any]:
    """Every column of the car's live records with their waybill's date, in chain order."""
    return (
        select(R.__table__, W.date)
        .join(W, R.waybill_id == W.id)
        .where(W.car_id == car_id, W.deleted_at.is_(None), R.deleted_at.is_(None))
        .order_by(W.date, R.id)
    )


def _median(runs: int, once: Callable[[], float]) -> float:
    return statistics.median(once() for _ in range(runs))


def time_select(database: Database, car_id: int) -> float:
    """Median seconds of one Core select of the chain's rows, fetched in full."""
    query = chain_rows(car_id)

    def once() -> float:
        with database.engine.connect() as conn:
            started = time.perf_counter()
            rows = conn.execute(query).fetchall()
            elapsed = time.perf_counter() - started
        assert len(rows) == RECORDS, len(rows)
        return elapsed

    return _median(SELECT_RUNS, once)


def edit_first(database: Database, first_id: int, last_id: int, fuel_used: Decimal) -> tuple[float, Any]:
    """Seconds to edit the first record through the service, and the last record's fuel on return then."""
    session = database.write_sessions()
    try:
        session.begin()
        started = time.perf_counter()
        sheets_service.update_record(
            session, kind=PASSENGER, row_id=first_id, body=RecordChange(fuel_used=fuel_used), partial=True
        )
        elapsed = time.perf_counter() - started
        return elapsed, session.scalar(select(R.fuel_on_return).where(R.id == last_id))
    finally:
        session.rollback()  # every repetition starts from the same chain
        session.close()


def measure(url: str, backend: str) -> None:
    """Build the chain on `url`, time both sides, and print the ratio."""
    database = Database(url)
    try:
        car_id = build_chain(database)
        with database.engine.connect() as conn:
            ids = [row.id for row in conn.execute(chain_rows(car_id))]
            before = conn.execute(select(R.fuel_on_return).where(R.id == ids[-1])).scalar_one()
        reference = time_select(database, car_id)
        _, after = edit_first(database, ids[0], ids[-1], Decimal("2.000"))
        edit = _median(EDIT_RUNS, lambda: edit_first(database, ids[0], ids[-1], Decimal("2.000"))[0])
    finally:
        database.dispose()
    ratio = edit / reference
    print(f"  {backend}:")
    print(f"    Core select of {RECORDS:,} record rows (median of {SELECT_RUNS})  {reference * 1000:8.1f} ms")
    print(f"    update_record on the first record (median of {EDIT_RUNS})  {edit * 1000:8.1f} ms")
    print(f"    sanity: last record's fuel_on_return {before} -> {after} after fuel_used 1.500 -> 2.000")
    verdict = "met" if ratio <= AIM else "NOT met"
    print(f"    ratio edit / select {ratio:6.1f}x; aim <= {AIM:.0f}x: {verdict}")


def run() -> None:
    """Run on SQLite, and on PostgreSQL when OPSUITE_BENCH_POSTGRES_URL is set."""
    print(
        f"waybills chain: {WAYBILLS:,} waybills x {RECORDS_PER_WAYBILL} trips = {RECORDS:,} records of one "
        "car; the edit runs in a rolled-back transaction (no commit)"
    )
    with tempfile.TemporaryDirectory(prefix="opsuite-bench-chain-") as tmp:
        measure(sqlite_url(Path(tmp)), "SQLite")
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        print(f"  PostgreSQL: skipped ({POSTGRES_ENV} is not set)")
        return
    with postgres_database(server) as url:
        measure(url, f"PostgreSQL ({make_url(url).host})")
