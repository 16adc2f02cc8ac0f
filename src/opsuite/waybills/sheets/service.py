"""Waybills and records: every change recomputes the car's chain from the first point it touches."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from opsuite.core.clock import utcnow
from opsuite.waybills import messages
from opsuite.waybills.auth.service import MOBILE, Actor
from opsuite.waybills.crud import apply, get_live, live_reference, soft_delete, take_reference
from opsuite.waybills.errors import InvalidChange, PermissionDenied
from opsuite.waybills.fuel import chain
from opsuite.waybills.kinds import VehicleKind
from opsuite.waybills.sheets.models import Counter
from opsuite.waybills.sheets.schemas import RecordFilters, RecordIn, WaybillFilters, WaybillIn
from opsuite.waybills.users.models import User

NUMBER_WIDTH = 6
MOBILE_OWN_WAYBILL = "Из мобильного приложения можно добавлять поездки только в свои путевые листы."


# Waybills -----------------------------------------------------------------------------------------


def list_waybills(session: Session, *, kind: VehicleKind, filters: WaybillFilters) -> list[Any]:
    """Live waybills by id, filtered by car, driver and an inclusive date range."""
    W = kind.waybill
    query = select(W).where(W.deleted_at.is_(None)).order_by(W.id)
    if filters.car is not None:
        query = query.where(W.car_id == filters.car)
    if filters.driver is not None:
        query = query.where(W.driver_id == filters.driver)
    if filters.date_from is not None:
        query = query.where(W.date >= filters.date_from)
    if filters.date_to is not None:
        query = query.where(W.date <= filters.date_to)
    return list(session.scalars(query))


def get_waybill(session: Session, *, kind: VehicleKind, row_id: int) -> Any:
    """One live waybill."""
    return get_live(session, kind.waybill, row_id)


def create_waybill(
    session: Session, *, kind: VehicleKind, body: WaybillIn, actor: Actor | None = None
) -> Any:
    """Create a waybill with the next number; its aggregates start from the state in force at its date."""
    values = _waybill_values(session, body.model_dump(), kind)
    values.setdefault("date", dt.date.today())
    chain.lock_cars(session, kind, [values["car_id"]])
    _check_duplicate(session, kind, values, None)
    waybill = kind.waybill(number=next_number(session, kind.counter), **values)
    session.add(waybill)
    session.flush()
    chain.recompute(session, kind, waybill.car_id, (waybill.date, chain.PHASE_DAY_END, 0))
    session.refresh(waybill)
    return waybill


def update_waybill(
    session: Session,
    *,
    kind: VehicleKind,
    row_id: int,
    body: WaybillIn,
    partial: bool = False,
    actor: Actor | None = None,
) -> Any:
    """Change a waybill; a new date, car or season recomputes the chains it leaves and joins."""
    waybill = get_waybill(session, kind=kind, row_id=row_id)
    old_car, old_day = waybill.car_id, waybill.date
    values = {
        k: v
        for k, v in _waybill_values(session, body.model_dump(exclude_unset=partial), kind).items()
        if v is not None or k == "fuel_type"
    }
    chain.lock_cars(session, kind, [old_car, values.get("car_id", old_car)])
    _check_duplicate(
        session,
        kind,
        {"car_id": old_car, "driver_id": waybill.driver_id, "date": old_day, **values},
        waybill.id,
    )
    apply(waybill, values)
    session.flush()
    if waybill.car_id != old_car:
        chain.recompute(session, kind, old_car, chain.day_start(old_day))
    chain.recompute(session, kind, waybill.car_id, chain.day_start(min(old_day, waybill.date)))
    session.refresh(waybill)
    return waybill


def delete_waybill(session: Session, *, kind: VehicleKind, row_id: int, actor: Actor | None = None) -> None:
    """Soft-delete a waybill with its records and their states; the trips after it are recomputed."""
    waybill = get_waybill(session, kind=kind, row_id=row_id)
    chain.lock_cars(session, kind, [waybill.car_id])
    R, S = kind.record, kind.state
    now = utcnow()
    record_ids = select(R.id).where(R.waybill_id == waybill.id, R.deleted_at.is_(None)).scalar_subquery()
    session.execute(
        update(S).where(S.record_id.in_(record_ids), S.deleted_at.is_(None)).values(deleted_at=now),
        execution_options={"synchronize_session": False},
    )
    session.execute(
        update(R).where(R.waybill_id == waybill.id, R.deleted_at.is_(None)).values(deleted_at=now),
        execution_options={"synchronize_session": False},
    )
    waybill.deleted_at = now
    chain.recompute(session, kind, waybill.car_id, chain.day_start(waybill.date))


def next_number(session: Session, counter: str) -> str:
    """The next waybill number: an atomic increment, so racing creations never share one."""
    value = session.scalar(
        update(Counter)
        .where(Counter.name == counter)
        .values(value=Counter.value + 1)
        .returning(Counter.value)
    )
    if value is None:
        session.add(Counter(name=counter, value=1))
        session.flush()
        value = 1
    return str(value).zfill(NUMBER_WIDTH)


def _waybill_values(session: Session, data: dict[str, Any], kind: VehicleKind) -> dict[str, Any]:
    values = dict(data)
    take_reference(session, values, kind.car, "car")
    take_reference(session, values, User, "driver")
    if values.get("date") is None:
        values.pop("date", None)
    return values


def _check_duplicate(
    session: Session, kind: VehicleKind, values: dict[str, Any], waybill_id: int | None
) -> None:
    W = kind.waybill
    query = select(W.id).where(
        W.car_id == values["car_id"],
        W.driver_id == values["driver_id"],
        W.date == values.get("date", dt.date.today()),
        W.deleted_at.is_(None),
    )
    if waybill_id is not None:
        query = query.where(W.id != waybill_id)
    if session.scalar(query.limit(1)) is None:
        return
    car = session.get(kind.car, values["car_id"])
    driver = session.get(User, values["driver_id"])
    message = messages.DUPLICATE_WAYBILL.format(
        number=car.number if car else values["car_id"],
        driver=driver.full_name if driver else values["driver_id"],
        date=values.get("date", dt.date.today()).strftime("%d.%m.%Y"),
    )
    raise InvalidChange(message)


# Records ------------------------------------------------------------------------------------------


def list_records(session: Session, *, kind: VehicleKind, filters: RecordFilters) -> list[Any]:
    """Live records of live waybills by id, optionally of one waybill."""
    R, W = kind.record, kind.waybill
    query = (
        select(R)
        .join(W, W.id == R.waybill_id)
        .where(R.deleted_at.is_(None), W.deleted_at.is_(None))
        .order_by(R.id)
    )
    if filters.waybill is not None:
        query = query.where(R.waybill_id == filters.waybill)
    return list(session.scalars(query))


def get_record(session: Session, *, kind: VehicleKind, row_id: int) -> Any:
    """One live record."""
    return get_live(session, kind.record, row_id)


def create_record(session: Session, *, kind: VehicleKind, body: RecordIn, actor: Actor | None = None) -> Any:
    """Add a trip: it starts from the state in force before it, and everything after it is recomputed."""
    values = body.model_dump()
    waybill = live_reference(session, kind.waybill, values.pop(kind.waybill_field), kind.waybill_field)
    check_mobile_driver(actor, waybill)
    chain.lock_cars(session, kind, [waybill.car_id])
    record = kind.record(waybill_id=waybill.id, **values)
    session.add(record)
    session.flush()
    chain.recompute(session, kind, waybill.car_id, chain.record_key(waybill.date, record.id))
    session.refresh(record)
    return record


def update_record(
    session: Session,
    *,
    kind: VehicleKind,
    row_id: int,
    body: RecordIn,
    partial: bool = False,
    actor: Actor | None = None,
) -> Any:
    """Change a trip (or move it to another waybill) and recompute from its old and new positions."""
    record = get_record(session, kind=kind, row_id=row_id)
    old = session.get_one(kind.waybill, record.waybill_id)
    values = body.model_dump(exclude_unset=partial)
    new = old
    if kind.waybill_field in values:
        new = live_reference(session, kind.waybill, values.pop(kind.waybill_field), kind.waybill_field)
        values["waybill_id"] = new.id
    for waybill in {old.id: old, new.id: new}.values():
        check_mobile_driver(actor, waybill)
    chain.lock_cars(session, kind, [old.car_id, new.car_id])
    apply(record, values)
    session.flush()
    if new.car_id != old.car_id:
        chain.recompute(session, kind, old.car_id, chain.record_key(old.date, record.id))
    first = min(chain.record_key(old.date, record.id), chain.record_key(new.date, record.id))
    chain.recompute(
        session,
        kind,
        new.car_id,
        first if new.car_id == old.car_id else chain.record_key(new.date, record.id),
    )
    session.refresh(record)
    return record


def check_mobile_driver(actor: Actor | None, waybill: Any) -> None:
    """PermissionDenied unless a mobile caller is the waybill's driver: the app books on own waybills only."""
    if actor is not None and actor.client == MOBILE and waybill.driver_id != actor.user.id:
        raise PermissionDenied(MOBILE_OWN_WAYBILL)


def delete_record(session: Session, *, kind: VehicleKind, row_id: int, actor: Actor | None = None) -> None:
    """Soft-delete a trip with its state; the next trip starts from what this one started from."""
    record = get_record(session, kind=kind, row_id=row_id)
    waybill = session.get_one(kind.waybill, record.waybill_id)
    chain.lock_cars(session, kind, [waybill.car_id])
    S = kind.state
    session.execute(
        update(S).where(S.record_id == record.id).values(deleted_at=utcnow()),
        execution_options={"synchronize_session": False},
    )
    soft_delete(record)
    chain.recompute(session, kind, waybill.car_id, chain.record_key(waybill.date, record.id))
