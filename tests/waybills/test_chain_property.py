"""Property: after any sequence of changes, every stored value equals a from-scratch recomputation.

The oracle below is written independently of the service: it replays the live rows in chain order
(date, hand-entered states before records, record id) with the document's formulas.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from opsuite.core.db import Database
from opsuite.waybills.errors import WaybillsError
from opsuite.waybills.fields import patch_model_of
from opsuite.waybills.fleet import service as fleet
from opsuite.waybills.fleet.models import PassengerCarNorm, PassengerCarOdometerFuel
from opsuite.waybills.fleet.schemas import PassengerCarIn, PassengerCarNormIn, StateIn
from opsuite.waybills.kinds import PASSENGER as K
from opsuite.waybills.sheets import service as sheets
from opsuite.waybills.sheets.models import PassengerCarRecord, PassengerCarWaybill
from opsuite.waybills.sheets.schemas import PassengerCarRecordIn, WaybillIn
from opsuite.waybills.users.models import User

DAY0 = dt.date(2024, 9, 1)
RecordChange = patch_model_of(PassengerCarRecordIn)
WaybillChange = patch_model_of(WaybillIn)
milli = st.integers(min_value=0, max_value=20_000).map(lambda n: Decimal(n).scaleb(-3))
day = st.integers(min_value=0, max_value=6).map(lambda n: DAY0 + dt.timedelta(days=n))
pick = st.integers(min_value=0, max_value=50)
trip = st.fixed_dictionaries(
    {
        "distance_city_km": st.integers(0, 300),
        "distance_area_km": st.integers(0, 300),
        "fuel_refueled": milli,
        "fuel_used": milli,
    }
)
new_waybill = st.tuples(st.just("waybill"), day, st.integers(0, 2), st.sampled_from(["summer", "winter"]))
new_record = st.tuples(st.just("record"), pick, trip)
operation = st.one_of(
    new_waybill,
    new_record,
    st.tuples(st.just("edit_record"), pick, trip),
    st.tuples(st.just("delete_record"), pick),
    st.tuples(st.just("delete_waybill"), pick),
    st.tuples(st.just("move_waybill"), pick, day),
    st.tuples(st.just("state"), day, st.integers(90_000, 110_000), milli),
    st.tuples(st.just("delete_state"), pick),
    st.tuples(st.just("norm"), day, st.sampled_from(["summer", "winter"]), milli, milli),
)


def _live(session: Any, model: Any) -> list[Any]:
    return list(session.scalars(select(model).where(model.deleted_at.is_(None)).order_by(model.id)))


def _apply(session: Any, op: tuple[Any, ...], car: int, drivers: list[int]) -> None:
    kind, *args = op
    waybills, records = _live(session, PassengerCarWaybill), _live(session, PassengerCarRecord)
    states = [s for s in _live(session, PassengerCarOdometerFuel) if s.record_id is None]
    if kind == "waybill":
        body = WaybillIn(car=car, driver=drivers[args[1]], date=args[0], norm_season=args[2])
        sheets.create_waybill(session, kind=K, body=body)
    elif kind == "record" and waybills:
        w = waybills[args[0] % len(waybills)]
        body = {"passenger_car_waybill": w.id, "target": "t", "departure_time": dt.time(8),
                "arrival_time": dt.time(9), **args[1]}  # fmt: skip
        sheets.create_record(session, kind=K, body=PassengerCarRecordIn.model_validate(body))
    elif kind == "edit_record" and records:
        change = RecordChange.model_validate(args[1])
        sheets.update_record(
            session, kind=K, row_id=records[args[0] % len(records)].id, body=change, partial=True
        )
    elif kind == "delete_record" and records:
        sheets.delete_record(session, kind=K, row_id=records[args[0] % len(records)].id)
    elif kind == "delete_waybill" and waybills:
        sheets.delete_waybill(session, kind=K, row_id=waybills[args[0] % len(waybills)].id)
    elif kind == "move_waybill" and waybills:
        change = WaybillChange(date=args[1])
        sheets.update_waybill(
            session, kind=K, row_id=waybills[args[0] % len(waybills)].id, body=change, partial=True
        )
    elif kind == "state":
        fleet.create_state(
            session, kind=K, body=StateIn(car=car, odometer=args[1], fuel=args[2], date=args[0])
        )
    elif kind == "delete_state" and states:
        fleet.delete_state(session, kind=K, row_id=states[args[0] % len(states)].id)
    elif kind == "norm":
        body = {
            "car": car,
            "season": args[1],
            "city_norm": args[2] / 100,
            "area_norm": args[3] / 100,
            "date": args[0],
        }
        fleet.create_norm(session, kind=K, body=PassengerCarNormIn.model_validate(
            {**body, "city_norm": round(body["city_norm"], 3), "area_norm": round(body["area_norm"], 3)}))  # fmt: skip


def _snapshot(session: Any) -> list[Any]:
    rows = []
    for model in (PassengerCarWaybill, PassengerCarRecord, PassengerCarOdometerFuel, PassengerCarNorm):
        for row in session.scalars(select(model).order_by(model.id)):
            rows.append({c.key: getattr(row, c.key) for c in model.__mapper__.column_attrs})
    return rows


def _oracle(
    session: Any,
) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, Decimal]], list[tuple[Any, ...]]]:
    """Expected record values, waybill aggregates and record states, from the live inputs alone."""
    waybills = {w.id: w for w in _live(session, PassengerCarWaybill)}
    records = [r for r in _live(session, PassengerCarRecord) if r.waybill_id in waybills]
    manual = [s for s in _live(session, PassengerCarOdometerFuel) if s.record_id is None]
    norms = _live(session, PassengerCarNorm)
    events = [((s.date, 0, s.id), "state", s) for s in manual]
    events += [((waybills[r.waybill_id].date, 1, r.id), "record", r) for r in records]
    events += [((w.date, 2, w.id), "end", w) for w in waybills.values()]
    events.sort(key=lambda e: e[0])
    state: tuple[int, Decimal] | None = None
    expected: dict[int, dict[str, Any]] = {}
    per_waybill: dict[int, list[dict[str, Any]]] = {w: [] for w in waybills}
    upon_empty: dict[int, Decimal] = {}
    for _key, what, row in events:
        if what == "state":
            state = (row.odometer, row.fuel)
        elif what == "end":
            upon_empty[row.id] = state[1] if state else Decimal("0.000")
        else:
            w = waybills[row.waybill_id]
            candidates = [n for n in norms if n.season == w.norm_season and n.date <= w.date]
            norm = max(candidates, key=lambda n: (n.date, n.id))
            assert state is not None
            city, area = row.distance_city_km * norm.city_norm, row.distance_area_km * norm.area_norm
            values = {
                "odometer_before": state[0],
                "fuel_before_departure": state[1],
                "distance_total_km": row.distance_city_km + row.distance_area_km,
                "odometer_after": state[0] + row.distance_city_km + row.distance_area_km,
                "fuel_used_city": city,
                "fuel_used_area": area,
                "fuel_used_normal": city + area,
                "fuel_on_return": state[1] - row.fuel_used + row.fuel_refueled,
            }
            assert values["fuel_on_return"] >= 0
            assert values["distance_total_km"] <= 2000
            expected[row.id] = values
            per_waybill[w.id].append(
                {**values, "fuel_used": row.fuel_used, "fuel_refueled": row.fuel_refueled}
            )
            state = (values["odometer_after"], values["fuel_on_return"])
    aggregates = {}
    for wid, trips in per_waybill.items():
        spent = sum((t["fuel_used"] for t in trips), Decimal("0.000"))
        norm_total = sum((t["fuel_used_normal"] for t in trips), Decimal("0.000"))
        upon = trips[0]["fuel_before_departure"] if trips else upon_empty[wid]
        aggregates[wid] = {
            "upon_issuance": upon,
            "total_spent": spent,
            "total_received": sum((t["fuel_refueled"] for t in trips), Decimal("0.000")),
            "required_by_norm": norm_total,
            "availability_upon_delivery": trips[-1]["fuel_on_return"] if trips else upon,
            "savings": max(norm_total - spent, Decimal(0)),
            "overrun": max(spent - norm_total, Decimal(0)),
        }
    states = sorted(
        (
            r.id,
            waybills[r.waybill_id].date,
            expected[r.id]["odometer_after"],
            expected[r.id]["fuel_on_return"],
        )
        for r in records
    )
    return expected, aggregates, states


def _check(session: Any) -> None:
    expected, aggregates, states = _oracle(session)
    for record in _live(session, PassengerCarRecord):
        if record.id in expected:
            assert {k: getattr(record, k) for k in expected[record.id]} == expected[record.id], record.id
    for waybill in _live(session, PassengerCarWaybill):
        assert {k: getattr(waybill, k) for k in aggregates[waybill.id]} == aggregates[waybill.id], waybill.id
    stored = sorted(
        (s.record_id, s.date, s.odometer, s.fuel)
        for s in _live(session, PassengerCarOdometerFuel)
        if s.record_id is not None
    )
    assert stored == states


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    waybills=st.lists(new_waybill, min_size=1, max_size=4),
    records=st.lists(new_record, min_size=1, max_size=8),
    changes=st.lists(operation, max_size=10),
)
def test_stored_chain_always_equals_a_recomputation_from_scratch(
    template: Any, waybills: list[Any], records: list[Any], changes: list[Any]
) -> None:
    operations = waybills + records + changes
    url = template.new()
    database = Database(url)
    try:
        with database.session() as session:
            car = fleet.create_car(session, kind=K, body=PassengerCarIn(number="P1", brand="b", model="m")).id
            drivers = [
                session.scalar(select(User.id).limit(1)),
                *(_add_driver(session, n) for n in (1, 2)),
            ]
            for season, city, area in (("summer", "0.090", "0.110"), ("winter", "0.100", "0.120")):
                fleet.create_norm(session, kind=K, body=PassengerCarNormIn(
                    car=car, season=season, city_norm=Decimal(city), area_norm=Decimal(area), date=DAY0))  # fmt: skip
            fleet.create_state(
                session, kind=K, body=StateIn(car=car, odometer=100000, fuel=Decimal("40.000"), date=DAY0)
            )
        for op in operations:
            with database.session(write=False) as session:
                before = _snapshot(session)
            try:
                with database.session() as session:
                    _apply(session, op, car, drivers)
            except WaybillsError:
                with database.session(write=False) as session:
                    assert _snapshot(session) == before, op  # a refused change changes nothing
            with database.session(write=False) as session:
                _check(session)
    finally:
        database.dispose()
        template.drop(url)


def _add_driver(session: Any, n: int) -> int:
    user = User(
        name="D", surname=f"S{n}", last_name="L", login=f"drv{n}", password="x", phone=f"+7000000000{n}"
    )
    session.add(user)
    session.flush()
    return user.id
