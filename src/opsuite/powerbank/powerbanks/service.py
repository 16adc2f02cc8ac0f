"""Power banks: CRUD in the caller's scope and the approval of `unknown` banks."""

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
from opsuite.powerbank.powerbanks.models import Powerbank
from opsuite.powerbank.powerbanks.schemas import PowerbankApprove, PowerbankCreate, PowerbankUpdate
from opsuite.powerbank.powerbanks.serials import display_serial
from opsuite.powerbank.stations.models import Station, StationPowerbank
from opsuite.powerbank.stations.service import check_unit
from opsuite.powerbank.vocab import ACTIVE_ORDER, PowerbankStatus

BANK_NOT_FOUND = "Повербанк не найден"
DUPLICATE_SERIAL = "Повербанк с таким серийным номером уже существует"
IN_SLOT = "Повербанк находится в станции: сначала извлеките его"
HAS_ORDERS = "У повербанка есть заказы: спишите его вместо удаления"
RENTED = "Повербанк сейчас выдан"
NOT_UNKNOWN = "Подтвердить можно только повербанк в статусе unknown"
UNFIT = "Повербанк этой организационной единицы нельзя выдавать из станции, в которой он находится"
BANK_CREATED = "Повербанк создан"
BANK_UPDATED = "Повербанк обновлен"
BANK_DELETED = "Повербанк удален"
BANK_APPROVED = "Повербанк активирован"


@dataclass(frozen=True)
class BankView:
    """A bank and the name of its unit."""

    bank: Powerbank
    unit_name: str | None


def _view(session: Session, bank: Powerbank) -> BankView:
    unit = session.get(OrgUnit, bank.org_unit_id) if bank.org_unit_id is not None else None
    return BankView(bank, unit.name if unit else None)


def get_bank(session: Session, bank_id: int) -> Powerbank:
    """A bank; 404 otherwise."""
    bank = session.get(Powerbank, bank_id)
    if bank is None:
        raise NotFound(BANK_NOT_FOUND)
    return bank


def bank_in_scope(session: Session, caller: Caller, bank_id: int) -> Powerbank:
    """A bank of the admin's scope; 404 unknown, 403 outside (a bank with no unit: service admin only)."""
    access.require(caller, Permission.READ_ALL)
    bank = get_bank(session, bank_id)
    access.require_in_scope(session, caller, bank.org_unit_id)
    return bank


def _check_serial(session: Session, serial: str, self_id: int | None = None) -> None:
    found = session.scalar(select(Powerbank.id).where(Powerbank.serial_number == serial))
    if found is not None and found != self_id:
        raise BadRequest(DUPLICATE_SERIAL)


def _slot_station(session: Session, bank_id: int) -> Station | None:
    query = select(Station).join(StationPowerbank).where(StationPowerbank.powerbank_id == bank_id)
    return session.scalar(query)


def list_banks(
    session: Session,
    *,
    caller: Caller,
    page: Page,
    status: PowerbankStatus | None,
    org_unit_id: int | None,
) -> tuple[list[BankView], int]:
    """The banks of the admin's scope, by id."""
    access.require(caller, Permission.READ_ALL)
    scope = access.scope_of(session, caller)
    query = select(Powerbank)
    if not scope.everything:
        query = query.where(Powerbank.org_unit_id.in_(scope.units))
    if status is not None:
        query = query.where(Powerbank.status == status.value)
    if org_unit_id is not None:
        query = query.where(Powerbank.org_unit_id == org_unit_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Powerbank.id).offset(page.offset).limit(page.limit))
    return [_view(session, bank) for bank in rows], total


def view_bank(session: Session, *, caller: Caller, bank_id: int) -> BankView:
    """One bank of the scope."""
    return _view(session, bank_in_scope(session, caller, bank_id))


def create_bank(session: Session, *, caller: Caller, new: PowerbankCreate, now: datetime) -> BankView:
    """A bank of a unit in scope (group admin and above); 400 on a duplicate serial."""
    access.require(caller, Permission.MANAGE_EQUIPMENT)
    check_unit(session, caller, new.org_unit_id)
    _check_serial(session, new.serial_number)
    bank = Powerbank(
        serial_number=new.serial_number,
        display_serial=display_serial(new.serial_number),
        org_unit_id=new.org_unit_id,
        soh=new.soh,
        status=new.status.value,
        write_off_reason=new.write_off_reason.value,
        created_at=now,
    )
    session.add(bank)
    session.flush()
    audit.record(
        session, actor_id=caller.user_id, action="create", entity="powerbank", entity_id=bank.id, at=now
    )
    return _view(session, bank)


def _rented(session: Session, bank_id: int) -> bool:
    active = exists().where(Order.powerbank_id == bank_id, Order.status.in_([s.value for s in ACTIVE_ORDER]))
    return bool(session.scalar(select(active)))


def update_bank(
    session: Session, *, caller: Caller, bank_id: int, change: PowerbankUpdate, now: datetime
) -> BankView:
    """Change what is sent; a new unit must be in scope; a rented bank cannot leave `active`."""
    access.require(caller, Permission.MANAGE_EQUIPMENT)
    bank = bank_in_scope(session, caller, bank_id)
    sent = change.model_fields_set
    if "org_unit_id" in sent:
        check_unit(session, caller, change.org_unit_id)
        bank.org_unit_id = change.org_unit_id
    if change.serial_number is not None:
        _check_serial(session, change.serial_number, bank.id)
        bank.serial_number = change.serial_number
        bank.display_serial = display_serial(change.serial_number)
    if "soh" in sent:
        bank.soh = change.soh
    if change.status is not None and change.status.value != bank.status:
        if change.status is PowerbankStatus.WRITTEN_OFF and _rented(session, bank.id):
            raise BadRequest(RENTED)
        bank.status = change.status.value
    if change.write_off_reason is not None:
        bank.write_off_reason = change.write_off_reason.value
    bank.updated_at = now
    audit.record(
        session,
        actor_id=caller.user_id,
        action="update",
        entity="powerbank",
        entity_id=bank.id,
        at=now,
        details={"fields": sorted(sent)},
    )
    session.flush()
    return _view(session, bank)


def delete_bank(session: Session, *, caller: Caller, bank_id: int, now: datetime) -> None:
    """Remove a bank that sits in no slot and never had an order (else write it off)."""
    access.require(caller, Permission.MANAGE_EQUIPMENT)
    bank = bank_in_scope(session, caller, bank_id)
    if _slot_station(session, bank.id) is not None:
        raise BadRequest(IN_SLOT)
    if session.scalar(select(exists().where(Order.powerbank_id == bank.id))):
        raise BadRequest(HAS_ORDERS)
    session.delete(bank)
    audit.record(
        session, actor_id=caller.user_id, action="delete", entity="powerbank", entity_id=bank_id, at=now
    )
    session.flush()


def approve_bank(
    session: Session, *, caller: Caller, bank_id: int, approval: PowerbankApprove, now: datetime
) -> BankView:
    """An `unknown` bank becomes `active` in a unit of the scope that fits the station it sits in."""
    access.require(caller, Permission.MANAGE_EQUIPMENT)
    bank = bank_in_scope(session, caller, bank_id)
    if bank.status != PowerbankStatus.UNKNOWN.value:
        raise BadRequest(NOT_UNKNOWN)
    check_unit(session, caller, approval.org_unit_id)
    station = _slot_station(session, bank.id)
    if station is not None and not access.bank_fits_station(
        session, approval.org_unit_id, station.org_unit_id
    ):
        raise BadRequest(UNFIT)
    bank.org_unit_id = approval.org_unit_id
    bank.status = PowerbankStatus.ACTIVE.value
    if approval.soh is not None:
        bank.soh = approval.soh
    bank.activated_at = now
    bank.updated_at = now
    audit.record(
        session, actor_id=caller.user_id, action="approve", entity="powerbank", entity_id=bank.id, at=now
    )
    session.flush()
    return _view(session, bank)
