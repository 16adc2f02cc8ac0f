"""The process's writes to the journal: a start opens or continues a visit, a confirm records its weighing.

The bridge's state machine decides what may happen now; the database keeps it true under races: one
open visit per plate (a partial unique index) and one weighing of each kind per visit (a unique
constraint), with the visit's row locked while its weighing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, SessionTransaction, selectinload

from opsuite.core.plates import plate_key
from opsuite.weighbridge.errors import BadRequest, Conflict
from opsuite.weighbridge.process.bridge import Bridge
from opsuite.weighbridge.process.errors import TruckNotFound
from opsuite.weighbridge.process.schemas import ConfirmIn, ConfirmOut, StartOut
from opsuite.weighbridge.trucks.models import ENTRANCE, EXIT, Action, Truck

AfterConfirm = Callable[[int], None]
"""Called with the new action's id once its transaction committed (the background snapshots)."""


def start(session: Session, bridge: Bridge, *, truck_number: str, now: datetime) -> StartOut:
    """Begin a weighing: a plate on the territory continues its visit, another opens one; 409 if busy."""
    bridge.check_start()
    number = truck_number.strip()
    key = _key(number)
    truck = _open_visit(session, key)
    if truck is None:
        truck = Truck(truck_number=number, number_key=key, created_at=now)
        try:
            with session.begin_nested():
                session.add(truck)
                session.flush()
        except IntegrityError:  # the same plate was opened meanwhile: continue that visit
            truck = _open_visit(session, key)
            if truck is None:
                raise Conflict(f"Машина {number} уже на территории") from None
    bridge.start(truck.id, truck.truck_number)
    truck_id = truck.id
    _on_commit(session, lambda: None, lambda: bridge.abandon(truck_id))
    return StartOut(truck_id=truck.id)


def confirm(
    session: Session,
    bridge: Bridge,
    *,
    body: ConfirmIn,
    operator_id: int | None,
    now: datetime,
    after: AfterConfirm | None = None,
) -> ConfirmOut:
    """Record the weighing of the truck on the platform: ENTRANCE first, EXIT second (closing the visit).

    409 with the reason when the state machine refuses (not ready, unstable, another truck, too far from
    the scale) or when the weighing is already recorded; the exit gate opens once the transaction commits.
    """
    claim = bridge.begin_confirm(body.truck_id, body.confirmed_weight)
    try:
        action = _record(session, body=body, weight=claim.weight, operator_id=operator_id, now=now)
    except BaseException:
        bridge.end_confirm(claim, recorded=False)
        raise

    def committed() -> None:
        bridge.end_confirm(claim, recorded=True)
        if after is not None:
            after(action.id)

    _on_commit(session, committed, lambda: bridge.end_confirm(claim, recorded=False))
    return ConfirmOut(action_id=action.id)


def _record(
    session: Session, *, body: ConfirmIn, weight: float, operator_id: int | None, now: datetime
) -> Action:
    query = (
        select(Truck)
        .where(Truck.id == body.truck_id, Truck.deleted_at.is_(None))
        .options(selectinload(Truck.actions))
        .with_for_update()
    )
    truck = session.scalar(query)
    if truck is None:
        raise TruckNotFound(f"Запись {body.truck_id} не найдена: её удалили во время взвешивания")
    if truck.is_finished:
        raise Conflict(f"Визит машины {truck.truck_number} уже завершён")
    if body.truck_number is not None and body.truck_number.strip() != truck.truck_number:
        truck.truck_number = body.truck_number.strip()
        truck.number_key = _key(truck.truck_number)
    kinds = {action.action_type for action in truck.actions}
    kind = EXIT if ENTRANCE in kinds else ENTRANCE
    action = Action(
        truck_id=truck.id,
        action_type=kind,
        weight=weight,
        operator_id=operator_id,
        product_id=truck.product_id,
        created_at=now,
    )
    if kind == EXIT:
        truck.is_finished = True
    try:
        with session.begin_nested():
            session.add(action)
            session.flush()
    except IntegrityError:  # a second confirm of the same pass, or a corrected plate already on the territory
        raise Conflict(f"Взвешивание машины {truck.truck_number} уже записано или номер занят") from None
    return action


def _key(number: str) -> str:
    key = plate_key(number)
    if not key:
        raise BadRequest("Номер машины не может быть пустым")
    return key


def _open_visit(session: Session, key: str) -> Truck | None:
    query = select(Truck).where(
        Truck.number_key == key, Truck.is_finished.is_(False), Truck.deleted_at.is_(None)
    )
    return session.scalar(query.with_for_update())


def _on_commit(session: Session, committed: Callable[[], None], rolled_back: Callable[[], None]) -> None:
    """Run `committed` once the session's transaction commits, or `rolled_back` once it rolls back."""
    done = False

    def after_commit(_session: Session) -> None:
        nonlocal done
        if not done:
            done = True
            committed()

    def after_soft_rollback(_session: Session, previous: SessionTransaction) -> None:
        nonlocal done
        if not done and not previous.nested:
            done = True
            rolled_back()

    event.listen(session, "after_commit", after_commit)
    event.listen(session, "after_soft_rollback", after_soft_rollback)
