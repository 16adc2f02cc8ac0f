"""The journal: visits newest first, with their weighings and photos; corrections; soft deletes."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from opsuite.core.plates import plate_key
from opsuite.weighbridge.errors import BadRequest, Conflict, Forbidden, NotFound
from opsuite.weighbridge.photos.storage import url_of
from opsuite.weighbridge.products import service as products_service
from opsuite.weighbridge.timefmt import local_iso
from opsuite.weighbridge.trucks.models import Action, Truck
from opsuite.weighbridge.trucks.schemas import ActionOut, PhotoOut, TruckOut, TruckUpdate

_WITH_ACTIONS = selectinload(Truck.actions).selectinload(Action.photos)


def truck_out(truck: Truck, zone: ZoneInfo) -> TruckOut:
    """A visit on the wire."""
    actions = [
        ActionOut(
            id=action.id,
            action_type="ENTRANCE" if action.action_type == "ENTRANCE" else "EXIT",
            weight=action.weight,
            product_id=action.product_id,
            operator_id=action.operator_id,
            created_at=local_iso(action.created_at, zone),
            photos=[PhotoOut(id=p.id, camera=p.camera, url=url_of(p.path)) for p in action.photos],
        )
        for action in truck.actions
    ]
    return TruckOut(
        id=truck.id,
        truck_number=truck.truck_number,
        driver_name=truck.driver_name,
        model=truck.model,
        owner_pinfl=truck.owner_pinfl,
        product_id=truck.product_id,
        is_finished=truck.is_finished,
        created_at=local_iso(truck.created_at, zone),
        actions=actions,
    )


def list_trucks(
    session: Session, *, skip: int, limit: int, finished: bool | None, zone: ZoneInfo
) -> list[TruckOut]:
    """Visits not deleted, newest first, `finished` filtering when given."""
    query = select(Truck).where(Truck.deleted_at.is_(None))
    if finished is not None:
        query = query.where(Truck.is_finished.is_(finished))
    query = query.order_by(Truck.created_at.desc(), Truck.id.desc()).offset(skip).limit(limit)
    return [truck_out(truck, zone) for truck in session.scalars(query.options(_WITH_ACTIONS))]


def _visit(session: Session, truck_id: int, *, lock: bool = False) -> Truck:
    query = select(Truck).where(Truck.id == truck_id, Truck.deleted_at.is_(None)).options(_WITH_ACTIONS)
    truck = session.scalar(query.with_for_update() if lock else query)
    if truck is None:
        raise NotFound(f"Запись {truck_id} не найдена")
    return truck


def get_truck(session: Session, truck_id: int, *, zone: ZoneInfo) -> TruckOut:
    """One visit with its weighings and their photo URLs; 404 when absent or deleted."""
    return truck_out(_visit(session, truck_id), zone)


def update_truck(session: Session, truck_id: int, *, changes: TruckUpdate, zone: ZoneInfo) -> TruckOut:
    """Correct a visit with the fields sent; 409 when it would open a second visit of one plate."""
    truck = _visit(session, truck_id, lock=True)
    sent = changes.model_dump(exclude_unset=True)
    number = (sent.get("truck_number") or truck.truck_number).strip()
    key = plate_key(number)
    if not key:
        raise BadRequest("Номер машины не может быть пустым")
    finished = truck.is_finished if sent.get("is_finished") is None else sent["is_finished"]
    if not finished:
        _refuse_second_visit(session, number, key, truck.id)
    if "product_id" in sent:
        products_service.check_product(session, sent["product_id"])
        truck.product_id = sent["product_id"]
    truck.truck_number, truck.number_key, truck.is_finished = number, key, finished
    for field in ("driver_name", "model", "owner_pinfl"):
        if field in sent:
            setattr(truck, field, sent[field])
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:  # another request opened a visit of this plate meanwhile
        raise Conflict(f"Машина {number} уже на территории") from None
    return truck_out(truck, zone)


def _refuse_second_visit(session: Session, number: str, key: str, truck_id: int) -> None:
    """409 when another open visit has this plate."""
    other = session.scalar(
        select(Truck.id).where(
            Truck.number_key == key,
            Truck.is_finished.is_(False),
            Truck.deleted_at.is_(None),
            Truck.id != truck_id,
        )
    )
    if other is not None:
        raise Conflict(f"Машина {number} уже на территории (запись {other})")


def delete_truck(session: Session, truck_id: int, *, by_superuser: bool, now: datetime) -> None:
    """Hide a visit from the journal and reports; a finished one only by a superuser (403 otherwise)."""
    truck = _visit(session, truck_id, lock=True)
    if truck.is_finished and not by_superuser:
        raise Forbidden("Завершённую запись может удалить только администратор")
    truck.deleted_at = now
