"""Location statuses of the banks of an admin's scope.

`in_station` when a slot holds the bank; else `not_returned` when its active order is older than its unit's
`reminder_hours`; else `in_use` when an order holds it; else `written_off` for a written-off bank and
`unknown_location` for the rest (the original said `in_station` for those too).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from opsuite.powerbank import access
from opsuite.powerbank.access import Caller, Permission
from opsuite.powerbank.errors import NotFound
from opsuite.powerbank.orders.models import Order
from opsuite.powerbank.org_units.models import OrgUnit
from opsuite.powerbank.powerbanks.models import Powerbank
from opsuite.powerbank.powerbanks.service import BANK_NOT_FOUND
from opsuite.powerbank.stations.models import Station, StationPowerbank
from opsuite.powerbank.users.models import User
from opsuite.powerbank.vocab import ACTIVE_ORDER, PowerbankStatus

DEFAULT_REMINDER_HOURS = 24


class Location(StrEnum):
    IN_STATION = "in_station"
    IN_USE = "in_use"
    NOT_RETURNED = "not_returned"
    WRITTEN_OFF = "written_off"
    UNKNOWN_LOCATION = "unknown_location"


@dataclass(frozen=True)
class Whereabouts:
    """A bank, where it is, and what places it there (its slot's station or its active order)."""

    bank: Powerbank
    location: Location
    station: Station | None
    order: Order | None
    user: User | None
    unit_name: str | None


def _whereabouts(session: Session, banks: list[Powerbank], now: datetime) -> list[Whereabouts]:
    ids = [bank.id for bank in banks]
    slots = {
        row.powerbank_id: station
        for row, station in session.execute(
            select(StationPowerbank, Station)
            .join(Station, Station.id == StationPowerbank.station_id)
            .where(StationPowerbank.powerbank_id.in_(ids))
        ).tuples()
    }
    active = [status.value for status in ACTIVE_ORDER]
    orders = {
        order.powerbank_id: (order, user, station)
        for order, user, station in session.execute(
            select(Order, User, Station)
            .join(User, User.id == Order.user_id)
            .join(Station, Station.id == Order.station_id)
            .where(Order.powerbank_id.in_(ids), Order.status.in_(active))
        ).tuples()
    }
    units = {unit.id: unit for unit in session.scalars(select(OrgUnit))}
    found = []
    for bank in banks:
        unit = units.get(bank.org_unit_id) if bank.org_unit_id is not None else None
        hours = unit.reminder_hours if unit is not None else DEFAULT_REMINDER_HOURS
        station, order, user = slots.get(bank.id), None, None
        if station is not None:
            location = Location.IN_STATION
        elif bank.id in orders:
            order, user, station = orders[bank.id]
            since = order.borrowed_at or order.timestamp
            late = now - since > timedelta(hours=hours)
            location = Location.NOT_RETURNED if late else Location.IN_USE
        elif bank.status == PowerbankStatus.WRITTEN_OFF.value:
            location = Location.WRITTEN_OFF
        else:
            location = Location.UNKNOWN_LOCATION
        found.append(Whereabouts(bank, location, station, order, user, unit.name if unit else None))
    return found


def _banks(session: Session, caller: Caller, org_unit_id: int | None) -> list[Powerbank]:
    access.require(caller, Permission.READ_ALL)
    scope = access.scope_of(session, caller)
    query = select(Powerbank).order_by(Powerbank.id)
    if not scope.everything:
        query = query.where(Powerbank.org_unit_id.in_(scope.units))
    if org_unit_id is not None:
        query = query.where(Powerbank.org_unit_id == org_unit_id)
    return list(session.scalars(query))


def list_locations(
    session: Session,
    *,
    caller: Caller,
    now: datetime,
    location: Location | None,
    org_unit_id: int | None,
) -> list[Whereabouts]:
    """The banks of the scope with their location, of one location when given."""
    found = _whereabouts(session, _banks(session, caller, org_unit_id), now)
    return [item for item in found if location is None or item.location is location]


def summary(session: Session, *, caller: Caller, now: datetime, org_unit_id: int | None) -> dict[str, int]:
    """How many banks of the scope are in each location."""
    counts = {location.value: 0 for location in Location}
    for item in _whereabouts(session, _banks(session, caller, org_unit_id), now):
        counts[item.location.value] += 1
    return counts


def locate(session: Session, *, caller: Caller, now: datetime, bank_id: int) -> Whereabouts:
    """One bank of the scope; 404 unknown, 403 outside."""
    access.require(caller, Permission.READ_ALL)
    bank = session.get(Powerbank, bank_id)
    if bank is None:
        raise NotFound(BANK_NOT_FOUND)
    access.require_in_scope(session, caller, bank.org_unit_id)
    return _whereabouts(session, [bank], now)[0]
