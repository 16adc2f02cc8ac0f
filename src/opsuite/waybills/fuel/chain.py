"""The odometer/fuel chain of one car: every record starts from the state in force right before it.

Chain order is (date, phase, id): a state entered by hand on a date (phase 0) comes before the records
of waybills of that date (phase 1, by record id); phase 2 marks the end of a day, where a waybill with
no records yet takes its `upon_issuance`. Any change recomputes the chain from the first point it
touches, in the caller's transaction; a record that would become invalid aborts the whole change.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, false, insert, or_, select, true, update
from sqlalchemy.orm import Session

from opsuite.waybills import messages
from opsuite.waybills.errors import BusinessError
from opsuite.waybills.fuel.calculator import RuleViolation, State
from opsuite.waybills.kinds import VehicleKind

Key = tuple[dt.date, int, int]
PHASE_STATE, PHASE_RECORD, PHASE_DAY_END = 0, 1, 2
CHAIN_START: Key = (dt.date.min, PHASE_STATE, 0)
ZERO = Decimal("0.000")
AGGREGATES = (
    "upon_issuance",
    "total_spent",
    "total_received",
    "required_by_norm",
    "availability_upon_delivery",
    "savings",
    "overrun",
)
_IN_CHUNK = 900


def state_key(day: dt.date, state_id: int) -> Key:
    """Position of a state entered by hand."""
    return (day, PHASE_STATE, state_id)


def record_key(day: dt.date, record_id: int) -> Key:
    """Position of a record of a waybill dated `day`."""
    return (day, PHASE_RECORD, record_id)


def day_start(day: dt.date) -> Key:
    """Position before everything dated `day`."""
    return (day, PHASE_STATE, 0)


def _at_or_after(day_col: Any, phase: int, id_col: Any, key: Key) -> ColumnElement[bool]:
    day, key_phase, key_id = key
    same_day: ColumnElement[bool]
    if phase > key_phase:
        same_day = true()
    elif phase < key_phase:
        same_day = false()
    else:
        same_day = id_col >= key_id
    return or_(day_col > day, and_(day_col == day, same_day))


@dataclass
class _Totals:
    upon_issuance: Decimal | None = None
    total_spent: Decimal = ZERO
    total_received: Decimal = ZERO
    required_by_norm: Decimal = ZERO
    last_on_return: Decimal | None = None

    def add(self, values: dict[str, Any]) -> None:
        if self.upon_issuance is None:
            self.upon_issuance = values["fuel_before_departure"]
        self.total_spent += values["fuel_used"]
        self.total_received += values["fuel_refueled"]
        self.required_by_norm += values["fuel_used_normal"]
        self.last_on_return = values["fuel_on_return"]

    def aggregates(self, fuel_at_day_end: Decimal) -> dict[str, Decimal]:
        upon = fuel_at_day_end if self.upon_issuance is None else self.upon_issuance
        delivered = upon if self.last_on_return is None else self.last_on_return
        diff = self.required_by_norm - self.total_spent
        return {
            "upon_issuance": upon,
            "total_spent": self.total_spent,
            "total_received": self.total_received,
            "required_by_norm": self.required_by_norm,
            "availability_upon_delivery": delivered,
            "savings": diff if diff >= 0 else ZERO,
            "overrun": -diff if diff < 0 else ZERO,
        }


@dataclass
class _Norms:
    by_season: dict[str, tuple[list[dt.date], list[Any]]] = field(default_factory=dict)

    def find(self, season: str, day: dt.date) -> Any | None:
        days, rows = self.by_season.get(season, ([], []))
        index = bisect.bisect_right(days, day)
        return rows[index - 1] if index else None

    def exists(self, season: str) -> bool:
        return bool(self.by_season.get(season, ([], []))[0])


def lock_cars(session: Session, kind: VehicleKind, car_ids: Iterable[int]) -> None:
    """Serialize chain changes per car (row locks on PostgreSQL; SQLite writers are serial already)."""
    for car_id in sorted(set(car_ids)):
        session.execute(select(kind.car.id).where(kind.car.id == car_id).with_for_update())


def recompute(session: Session, kind: VehicleKind, car_id: int, from_key: Key) -> None:
    """Recompute records, their state rows and waybill aggregates of one car from `from_key` on."""
    session.flush()
    W, R, S = kind.waybill, kind.record, kind.state
    car_number = session.scalar(select(kind.car.number).where(kind.car.id == car_id)) or str(car_id)
    live_records = and_(R.deleted_at.is_(None), W.deleted_at.is_(None), W.car_id == car_id)
    day = from_key[0]

    state = _state_before(session, kind, car_id, from_key)
    totals: dict[int, _Totals] = {}
    record_cols = [R.id, R.waybill_id, W.date, W.norm_season, W.number,
                   *(getattr(R, name) for name in (*kind.record_inputs, *kind.record_outputs))]  # fmt: skip
    record_key_cols = (W.date, PHASE_RECORD, R.id)
    prefix = session.execute(
        select(*record_cols)
        .join(W, R.waybill_id == W.id)
        .where(live_records, W.date == day, ~_at_or_after(*record_key_cols, from_key))
        .order_by(R.id)
    ).mappings()
    for row in prefix:
        totals.setdefault(row["waybill_id"], _Totals()).add(dict(row))

    records = session.execute(
        select(*record_cols)
        .join(W, R.waybill_id == W.id)
        .where(live_records, _at_or_after(*record_key_cols, from_key))
        .order_by(W.date, R.id)
    ).mappings()
    states = session.execute(
        select(S.id, S.date, S.odometer, S.fuel).where(
            S.car_id == car_id,
            S.record_id.is_(None),
            S.deleted_at.is_(None),
            _at_or_after(S.date, PHASE_STATE, S.id, from_key),
        )
    ).all()
    waybills = session.execute(
        select(W.id, W.date, *(getattr(W, name) for name in AGGREGATES)).where(
            W.car_id == car_id, W.deleted_at.is_(None), W.date >= day
        )
    ).mappings()
    norms = _load_norms(session, kind, car_id)

    events: list[tuple[Key, int, Any]] = [(record_key(r["date"], r["id"]), PHASE_RECORD, r) for r in records]
    events += [(state_key(s.date, s.id), PHASE_STATE, s) for s in states]
    events += [((w["date"], PHASE_DAY_END, w["id"]), PHASE_DAY_END, w) for w in waybills]
    events.sort(key=lambda event: event[0])

    record_updates: list[dict[str, Any]] = []
    wanted_states: dict[int, dict[str, Any]] = {}
    waybill_updates: list[dict[str, Any]] = []
    for _key, phase, row in events:
        if phase == PHASE_STATE:
            state = State(row.odometer, row.fuel)
        elif phase == PHASE_DAY_END:
            fuel_now = state.fuel if state is not None else ZERO
            wanted = totals.get(row["id"], _Totals()).aggregates(fuel_now)
            if any(row[name] != wanted[name] for name in AGGREGATES):
                waybill_updates.append({"id": row["id"], **wanted})
        else:
            values = _compute(kind, row, state, norms, car_number)
            if any(row[name] != values[name] for name in kind.record_outputs):
                record_updates.append(
                    {"id": row["id"], **{name: values[name] for name in kind.record_outputs}}
                )
            totals.setdefault(row["waybill_id"], _Totals()).add(values)
            state = State(values["odometer_after"], values["fuel_on_return"])
            wanted_states[row["id"]] = {
                "car_id": car_id,
                "odometer": state.odometer,
                "fuel": state.fuel,
                "date": row["date"],
                "waybill_id": row["waybill_id"],
            }

    if record_updates:
        _update_rows(session, R, record_updates)
    _write_states(session, kind, wanted_states)
    if waybill_updates:
        _update_rows(session, W, waybill_updates)


def _state_before(session: Session, kind: VehicleKind, car_id: int, key: Key) -> State | None:
    W, R, S = kind.waybill, kind.record, kind.state
    last_record = session.execute(
        select(W.date, R.id, R.odometer_after, R.fuel_on_return)
        .join(W, R.waybill_id == W.id)
        .where(
            R.deleted_at.is_(None),
            W.deleted_at.is_(None),
            W.car_id == car_id,
            ~_at_or_after(W.date, PHASE_RECORD, R.id, key),
        )
        .order_by(W.date.desc(), R.id.desc())
        .limit(1)
    ).first()
    last_manual = session.execute(
        select(S.date, S.id, S.odometer, S.fuel)
        .where(
            S.car_id == car_id,
            S.record_id.is_(None),
            S.deleted_at.is_(None),
            ~_at_or_after(S.date, PHASE_STATE, S.id, key),
        )
        .order_by(S.date.desc(), S.id.desc())
        .limit(1)
    ).first()
    candidates = []
    if last_record is not None:
        candidates.append((record_key(last_record[0], last_record[1]), State(last_record[2], last_record[3])))
    if last_manual is not None:
        candidates.append((state_key(last_manual[0], last_manual[1]), State(last_manual[2], last_manual[3])))
    return max(candidates, key=lambda c: c[0])[1] if candidates else None


def _load_norms(session: Session, kind: VehicleKind, car_id: int) -> _Norms:
    N = kind.norm
    norms = _Norms()
    rows = session.scalars(
        select(N).where(N.car_id == car_id, N.deleted_at.is_(None)).order_by(N.date, N.id)
    ).all()
    for norm in rows:
        days, found = norms.by_season.setdefault(norm.season, ([], []))
        days.append(norm.date)
        found.append(norm)
    return norms


def _compute(
    kind: VehicleKind, row: Any, state: State | None, norms: _Norms, car_number: str
) -> dict[str, Any]:
    season_label = messages.SEASON_LABELS.get(row["norm_season"], row["norm_season"])
    if state is None:
        raise BusinessError(kind.no_start_message.format(number=car_number))
    norm = norms.find(row["norm_season"], row["date"])
    if norm is None:
        if norms.exists(row["norm_season"]):
            raise BusinessError(
                messages.NORM_TOO_LATE.format(
                    number=car_number, season=season_label, date=row["date"].strftime("%d.%m.%Y")
                )
            )
        raise BusinessError(messages.NO_NORM.format(number=car_number, season=season_label))
    inputs = {name: row[name] for name in kind.record_inputs}
    try:
        return {**inputs, **kind.calculate(inputs, norm, state)}
    except RuleViolation as violation:
        where = messages.WHERE_RECORD.format(number=row["number"], date=row["date"].strftime("%d.%m.%Y"))
        raise BusinessError(_violation_message(violation, where)) from violation


def _violation_message(violation: RuleViolation, where: str) -> str:
    v = violation.values
    if violation.code == "negative_fuel":
        return messages.NEGATIVE_FUEL.format(
            before=f"{v['before']:.3f}", used=f"{v['used']:.3f}", refueled=f"{v['refueled']:.3f}", where=where
        )
    template = {
        "odometer_backwards": messages.ODOMETER_BACKWARDS,
        "odometer_jump": messages.ODOMETER_JUMP,
        "odometer_limit": messages.ODOMETER_LIMIT,
    }[violation.code]
    return template.format(before=v["before"], after=v["after"], where=where)


def _write_states(session: Session, kind: VehicleKind, wanted: dict[int, dict[str, Any]]) -> None:
    S = kind.state
    if not wanted:
        return
    existing: dict[int, Any] = {}
    row: Any
    ids = list(wanted)
    for start in range(0, len(ids), _IN_CHUNK):
        chunk = ids[start : start + _IN_CHUNK]
        for row in session.execute(
            select(S.id, S.record_id, S.car_id, S.odometer, S.fuel, S.date, S.waybill_id).where(
                S.record_id.in_(chunk)
            )
        ):
            existing[row.record_id] = row
    updates: list[dict[str, Any]] = []
    inserts: list[dict[str, Any]] = []
    for record_id, values in wanted.items():
        row = existing.get(record_id)
        if row is None:
            inserts.append({"record_id": record_id, **values})
        elif any(getattr(row, name) != value for name, value in values.items()):
            updates.append({"id": row.id, **values})
    if updates:
        _update_rows(session, S, updates)
    if inserts:
        session.connection().execute(insert(S.__table__), inserts)


def last_state_row(session: Session, kind: VehicleKind, car_id: int) -> Any | None:
    """The live state row last in the car's chain order (what the next trip would start from)."""
    W, R, S = kind.waybill, kind.record, kind.state
    from_record = session.execute(
        select(S, W.date, R.id)
        .join(R, R.id == S.record_id)
        .join(W, W.id == R.waybill_id)
        .where(S.car_id == car_id, S.deleted_at.is_(None), R.deleted_at.is_(None), W.deleted_at.is_(None))
        .order_by(W.date.desc(), R.id.desc())
        .limit(1)
    ).first()
    manual = session.scalar(
        select(S)
        .where(S.car_id == car_id, S.record_id.is_(None), S.deleted_at.is_(None))
        .order_by(S.date.desc(), S.id.desc())
        .limit(1)
    )
    if from_record is None:
        return manual
    if manual is None or record_key(from_record[1], from_record[2]) > state_key(manual.date, manual.id):
        return from_record[0]
    return manual


def last_record_of_waybill(session: Session, kind: VehicleKind, waybill_id: int) -> Any | None:
    """The waybill's live record last in chain order."""
    R = kind.record
    return session.scalar(
        select(R).where(R.waybill_id == waybill_id, R.deleted_at.is_(None)).order_by(R.id.desc()).limit(1)
    )


def _update_rows(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    """UPDATE … WHERE id = ? for each row, as one Core executemany on the session's connection.

    The ORM's bulk update by primary key spends most of its time in per-row Python; on 11,000 rows this is
    about half the cost of a recompute (bench/waybills_chain.py).
    """
    table = model.__table__
    columns = [name for name in rows[0] if name != "id"]
    statement = (
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values({name: bindparam(f"b_{name}") for name in columns})
    )
    session.connection().execute(
        statement, [{f"b_{name}": value for name, value in row.items()} for row in rows]
    )
