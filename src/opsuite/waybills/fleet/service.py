"""Cars, norms and hand-entered states. Norm and state changes recompute the affected chain."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from opsuite.core.fields import MAX_ID
from opsuite.core.plates import plate_key
from opsuite.waybills import messages
from opsuite.waybills.auth.service import Actor
from opsuite.waybills.crud import (
    apply,
    check_unique,
    get_live,
    list_live,
    live_reference,
    soft_delete,
    take_reference,
)
from opsuite.waybills.errors import BadRequest, FieldErrors, InvalidChange, NotFound
from opsuite.waybills.fleet.schemas import ByCar, CarFilters, NormIn, PassengerCarIn, StateIn
from opsuite.waybills.fuel import chain
from opsuite.waybills.kinds import VehicleKind

# Cars ---------------------------------------------------------------------------------------------


def list_cars(session: Session, *, kind: VehicleKind, filters: CarFilters) -> list[Any]:
    """Live cars of a kind by id, with their state history when asked (one query, not one per car).

    `filters.number` finds a car however its number is spelt (`А001АА54`, `a001aa 54`).
    """
    query = select(kind.car).where(kind.car.deleted_at.is_(None)).order_by(kind.car.id)
    if filters.number is not None:
        query = query.where(kind.car.number_key == plate_key(filters.number))
    cars = list(session.scalars(query))
    if filters.include_odometer:
        S = kind.state
        history: dict[int, list[Any]] = defaultdict(list)
        for state in session.scalars(select(S).where(S.deleted_at.is_(None)).order_by(S.date, S.id)):
            history[state.car_id].append(state)
        for car in cars:
            car.odometer_fuel_records = history.get(car.id, [])
    return cars


def get_car(session: Session, *, kind: VehicleKind, row_id: int) -> Any:
    """One live car."""
    return get_live(session, kind.car, row_id)


def create_car(
    session: Session, *, kind: VehicleKind, body: PassengerCarIn, actor: Actor | None = None
) -> Any:
    """Create a car whose number no live car has, however either is spelt (see `core.plates`)."""
    _check_number(session, kind, body.number, None)
    car = kind.car(**body.model_dump())
    session.add(car)
    session.flush()
    return car


def update_car(
    session: Session,
    *,
    kind: VehicleKind,
    row_id: int,
    body: PassengerCarIn,
    partial: bool = False,
    actor: Actor | None = None,
) -> Any:
    """Change a car's description."""
    car = get_car(session, kind=kind, row_id=row_id)
    data = body.model_dump(exclude_unset=partial)
    if data.get("number") is not None and plate_key(data["number"]) != car.number_key:
        _check_number(session, kind, data["number"], car.id)
    apply(car, data)
    session.flush()
    return car


def _check_number(session: Session, kind: VehicleKind, number: str, exclude_id: int | None) -> None:
    """400 `{number: [...]}` when another live car's number has the same key."""
    check_unique(session, kind.car, {"number_key": plate_key(number)}, exclude_id, {"number_key": "number"})


def delete_car(session: Session, *, kind: VehicleKind, row_id: int, actor: Actor | None = None) -> None:
    """Soft-delete a car; its number may be reused, its history stays."""
    soft_delete(get_car(session, kind=kind, row_id=row_id))


# Norms --------------------------------------------------------------------------------------------


def list_norms(session: Session, *, kind: VehicleKind, filters: ByCar) -> list[Any]:
    """Live norms of a kind by id, optionally of one car."""
    return list_live(session, kind.norm, car_id=filters.car)


def get_norm(session: Session, *, kind: VehicleKind, row_id: int) -> Any:
    """One live norm."""
    return get_live(session, kind.norm, row_id)


def create_norm(session: Session, *, kind: VehicleKind, body: NormIn, actor: Actor | None = None) -> Any:
    """Create a norm and recompute the records of that car from its date on."""
    values = _norm_values(session, body.model_dump(), kind)
    values.setdefault("date", dt.date.today())
    chain.lock_cars(session, kind, [values["car_id"]])
    norm = kind.norm(**values)
    session.add(norm)
    chain.recompute(session, kind, norm.car_id, chain.day_start(norm.date))
    return norm


def update_norm(
    session: Session,
    *,
    kind: VehicleKind,
    row_id: int,
    body: NormIn,
    partial: bool = False,
    actor: Actor | None = None,
) -> Any:
    """Change a norm and recompute the chains it touched before and after the change."""
    norm = get_norm(session, kind=kind, row_id=row_id)
    before = (norm.car_id, norm.date)
    values = _norm_values(session, body.model_dump(exclude_unset=partial), kind)
    chain.lock_cars(session, kind, [norm.car_id, values.get("car_id", norm.car_id)])
    apply(norm, {k: v for k, v in values.items() if v is not None})
    _recompute_moves(session, kind, before, (norm.car_id, norm.date))
    return norm


def delete_norm(session: Session, *, kind: VehicleKind, row_id: int, actor: Actor | None = None) -> None:
    """Soft-delete a norm; refused if a record would be left without one."""
    norm = get_norm(session, kind=kind, row_id=row_id)
    chain.lock_cars(session, kind, [norm.car_id])
    soft_delete(norm)
    chain.recompute(session, kind, norm.car_id, chain.day_start(norm.date))


def norm_for_date(
    session: Session, *, kind: VehicleKind, car: str | None, season: str | None, date: str | None
) -> Any:
    """The latest live norm of a car and season dated on or before `date`."""
    if not car or not season or not date:
        raise BadRequest(messages.NORM_FOR_DATE_PARAMS)
    day = _parse_day(date, messages.BAD_DATE)
    car_id = _parse_id(car)
    N = kind.norm
    norm = session.scalar(
        select(N)
        .where(N.car_id == car_id, N.season == season, N.date <= day, N.deleted_at.is_(None))
        .order_by(N.date.desc(), N.id.desc())
        .limit(1)
    )
    if norm is None:
        raise NotFound(messages.NORM_NOT_FOUND)
    return norm


def _norm_values(session: Session, data: dict[str, Any], kind: VehicleKind) -> dict[str, Any]:
    values = dict(data)
    take_reference(session, values, kind.car, "car")
    return values


# States entered by hand ---------------------------------------------------------------------------


def list_states(session: Session, *, kind: VehicleKind, filters: ByCar) -> list[Any]:
    """Live states of a kind by id (hand-entered and written by records), optionally of one car."""
    return list_live(session, kind.state, car_id=filters.car)


def get_state(session: Session, *, kind: VehicleKind, row_id: int) -> Any:
    """One live state."""
    return get_live(session, kind.state, row_id)


def last_state(session: Session, *, kind: VehicleKind, car: str | None) -> Any:
    """The state in force at the end of a car's chain."""
    if not car:
        raise BadRequest(messages.LAST_PARAMS)
    state = chain.last_state_row(session, kind, _parse_id(car))
    if state is None:
        raise NotFound(messages.LAST_NOT_FOUND)
    return state


def create_state(session: Session, *, kind: VehicleKind, body: StateIn, actor: Actor | None = None) -> Any:
    """Enter a car's odometer and fuel; the records after it are recomputed from it."""
    values = _state_values(session, body.model_dump(), kind, None)
    chain.lock_cars(session, kind, [values["car_id"]])
    state = kind.state(**values)
    session.add(state)
    session.flush()
    chain.recompute(session, kind, state.car_id, chain.state_key(state.date, state.id))
    return state


def update_state(
    session: Session,
    *,
    kind: VehicleKind,
    row_id: int,
    body: StateIn,
    partial: bool = False,
    actor: Actor | None = None,
) -> Any:
    """Correct a hand-entered state and recompute what follows its old and new positions."""
    state = _own_state(session, row_id, kind)
    before = (state.car_id, state.date, state.id)
    values = _state_values(session, body.model_dump(exclude_unset=partial), kind, state)
    chain.lock_cars(session, kind, [state.car_id, values["car_id"]])
    apply(state, values)
    _recompute_moves(session, kind, before[:2], (state.car_id, state.date))
    return state


def delete_state(session: Session, *, kind: VehicleKind, row_id: int, actor: Actor | None = None) -> None:
    """Soft-delete a hand-entered state; refused if the records after it would become invalid."""
    state = _own_state(session, row_id, kind)
    chain.lock_cars(session, kind, [state.car_id])
    soft_delete(state)
    chain.recompute(session, kind, state.car_id, chain.state_key(state.date, state.id))


def _own_state(session: Session, row_id: int, kind: VehicleKind) -> Any:
    state = get_state(session, kind=kind, row_id=row_id)
    if state.record_id is not None:
        raise InvalidChange(messages.STATE_OF_RECORD)
    return state


def _state_values(session: Session, data: dict[str, Any], kind: VehicleKind, current: Any) -> dict[str, Any]:
    """Fill a state from its waybill where values are missing, as the original's model rule does."""
    merged = {
        "car": current.car_id if current else None,
        "odometer": current.odometer if current else None,
        "fuel": current.fuel if current else None,
        "date": current.date if current else None,
        "waybill": current.waybill_id if current else None,
    }
    merged.update(data)
    waybill = (
        None
        if merged["waybill"] is None
        else live_reference(session, kind.waybill, merged["waybill"], "waybill")
    )
    if merged["car"] is not None:
        live_reference(session, kind.car, merged["car"], "car")
    if waybill is not None:
        if merged["car"] is None:
            merged["car"] = waybill.car_id
        elif merged["car"] != waybill.car_id:
            raise FieldErrors({"waybill": [messages.STATE_OTHER_CAR]})
        if merged["date"] is None:
            merged["date"] = waybill.date
        if merged["odometer"] is None or merged["fuel"] is None:
            last = chain.last_record_of_waybill(session, kind, waybill.id)
            if last is not None:
                merged["odometer"] = last.odometer_after if merged["odometer"] is None else merged["odometer"]
                merged["fuel"] = last.fuel_on_return if merged["fuel"] is None else merged["fuel"]
    missing = {
        name: [messages.STATE_NEEDS if waybill is None else messages.STATE_WAYBILL_EMPTY]
        for name in ("car", "odometer", "fuel")
        if merged[name] is None
    }
    if missing:
        raise FieldErrors(missing)
    return {
        "car_id": merged["car"],
        "odometer": merged["odometer"],
        "fuel": merged["fuel"],
        "date": merged["date"] or dt.date.today(),
        "waybill_id": merged["waybill"],
    }


def _recompute_moves(
    session: Session,
    kind: VehicleKind,
    before: tuple[int, dt.date],
    after: tuple[int, dt.date],
) -> None:
    """Recompute each car touched by a move of something dated from `before` to `after`."""
    (old_car, old_day), (new_car, new_day) = before, after
    if old_car == new_car:
        chain.recompute(session, kind, new_car, chain.day_start(min(old_day, new_day)))
        return
    chain.recompute(session, kind, old_car, chain.day_start(old_day))
    chain.recompute(session, kind, new_car, chain.day_start(new_day))


def _parse_day(value: str, message: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadRequest(message) from None


def _parse_id(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise BadRequest(messages.BAD_CAR) from None
    if not 1 <= number <= MAX_ID:
        raise BadRequest(messages.BAD_CAR)
    return number
