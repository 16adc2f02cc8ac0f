"""Stations: CRUD in the caller's scope; `remain_num` is counted from the slot mirror, never stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from opsuite.powerbank import access
from opsuite.powerbank.access import Caller, Permission
from opsuite.powerbank.audit import service as audit
from opsuite.powerbank.envelope import Page
from opsuite.powerbank.errors import BadRequest, NotFound
from opsuite.powerbank.orders.models import Order
from opsuite.powerbank.org_units.models import OrgUnit
from opsuite.powerbank.stations.models import Station, StationPowerbank
from opsuite.powerbank.stations.schemas import StationCreate, StationUpdate
from opsuite.powerbank.vocab import StationStatus

STATION_NOT_FOUND = "Станция не найдена"
DUPLICATE_BOX = "Станция с таким box_id уже существует"
UNIT_NOT_FOUND = "Организационная единица не найдена"
SLOTS_BELOW_BANKS = "В станции есть повербанки в слотах с номером больше slots_declared"
STATION_IN_USE = "У станции есть заказы или повербанки в слотах"
STATION_CREATED = "Станция создана"
STATION_UPDATED = "Станция обновлена"
STATION_DELETED = "Станция удалена"


@dataclass(frozen=True)
class StationView:
    """A station with what its row shows beside its columns."""

    station: Station
    unit_name: str | None
    remain_num: int


def _remain_num(session: Session, station_id: int) -> int:
    query = select(func.count()).where(StationPowerbank.station_id == station_id)
    return session.scalar(query) or 0


def _view(session: Session, station: Station) -> StationView:
    unit = session.get(OrgUnit, station.org_unit_id) if station.org_unit_id is not None else None
    return StationView(station, unit.name if unit else None, _remain_num(session, station.id))


def get_station(session: Session, station_id: int) -> Station:
    """A station; 404 otherwise."""
    station = session.get(Station, station_id)
    if station is None:
        raise NotFound(STATION_NOT_FOUND)
    return station


def station_in_reach(session: Session, caller: Caller, station_id: int) -> Station:
    """A station an admin manages or a user may use; 404 unknown, 403 outside the scope."""
    station = get_station(session, station_id)
    access.require_in_scope(session, caller, station.org_unit_id)
    return station


def check_unit(session: Session, caller: Caller, unit_id: int | None) -> None:
    """400 for a unit that does not exist (or is deleted), 403 for one outside the caller's scope."""
    if unit_id is not None:
        unit = session.get(OrgUnit, unit_id)
        if unit is None or unit.deleted_at is not None:
            raise BadRequest(UNIT_NOT_FOUND)
    access.require_in_scope(session, caller, unit_id)


def _check_box(session: Session, box_id: str, self_id: int | None = None) -> None:
    query = select(Station.id).where(func.lower(Station.box_id) == box_id.lower())
    found = session.scalar(query)
    if found is not None and found != self_id:
        raise BadRequest(DUPLICATE_BOX)


def list_stations(
    session: Session,
    *,
    caller: Caller,
    page: Page,
    org_unit_id: int | None,
    status: StationStatus | None,
) -> tuple[list[StationView], int]:
    """The stations of the caller's scope (for a plain user: the ones the user may use), by id."""
    scope = access.scope_of(session, caller)
    query = select(Station)
    if not scope.everything:
        query = query.where(Station.org_unit_id.in_(scope.units))
    if org_unit_id is not None:
        query = query.where(Station.org_unit_id == org_unit_id)
    if status is not None:
        query = query.where(Station.status == status.value)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Station.id).offset(page.offset).limit(page.limit))
    return [_view(session, station) for station in rows], total


def view_station(session: Session, *, caller: Caller, station_id: int) -> StationView:
    """One station in the caller's reach."""
    return _view(session, station_in_reach(session, caller, station_id))


def create_station(session: Session, *, caller: Caller, new: StationCreate, now: datetime) -> StationView:
    """A station of a unit in the caller's scope (group admin and above); 400 on a duplicate box id."""
    access.require(caller, Permission.MANAGE_EQUIPMENT)
    check_unit(session, caller, new.org_unit_id)
    _check_box(session, new.box_id)
    station = Station(
        box_id=new.box_id,
        org_unit_id=new.org_unit_id,
        iccid=new.iccid,
        slots_declared=new.slots_declared,
        status=new.status.value,
        created_at=now,
    )
    session.add(station)
    session.flush()
    audit.record(
        session, actor_id=caller.user_id, action="create", entity="station", entity_id=station.id, at=now
    )
    return _view(session, station)


def update_station(
    session: Session, *, caller: Caller, station_id: int, change: StationUpdate, now: datetime
) -> StationView:
    """Change what is sent; a new unit must be in scope too, fewer slots must not strand a bank."""
    access.require(caller, Permission.MANAGE_EQUIPMENT)
    station = station_in_reach(session, caller, station_id)
    sent = change.model_fields_set
    if "org_unit_id" in sent:
        check_unit(session, caller, change.org_unit_id)
        station.org_unit_id = change.org_unit_id
    if change.box_id is not None:
        _check_box(session, change.box_id, station.id)
        station.box_id = change.box_id
    if "iccid" in sent:
        station.iccid = change.iccid
    if change.slots_declared is not None:
        stranded = exists().where(
            StationPowerbank.station_id == station.id, StationPowerbank.slot_number > change.slots_declared
        )
        if session.scalar(select(stranded)):
            raise BadRequest(SLOTS_BELOW_BANKS)
        station.slots_declared = change.slots_declared
    if change.status is not None:
        station.status = change.status.value
    station.updated_at = now
    audit.record(
        session,
        actor_id=caller.user_id,
        action="update",
        entity="station",
        entity_id=station.id,
        at=now,
        details={"fields": sorted(sent)},
    )
    session.flush()
    return _view(session, station)


def delete_station(session: Session, *, caller: Caller, station_id: int, now: datetime) -> None:
    """Remove a station without orders or banks in its slots (its key, favourites and reports go with it)."""
    access.require(caller, Permission.MANAGE_EQUIPMENT)
    station = station_in_reach(session, caller, station_id)
    used = session.scalar(
        select(
            exists().where((Order.station_id == station.id) | (Order.return_station_id == station.id))
            | exists().where(StationPowerbank.station_id == station.id)
        )
    )
    if used:
        raise BadRequest(STATION_IN_USE)
    session.delete(station)
    audit.record(
        session, actor_id=caller.user_id, action="delete", entity="station", entity_id=station_id, at=now
    )
    session.flush()
