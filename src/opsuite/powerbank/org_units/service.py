"""Org units: the two-level tree (a group has no parent, a subgroup's parent is a live group), CRUD."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, exists, false, func, select, true
from sqlalchemy.orm import Session, aliased

from opsuite.powerbank import access
from opsuite.powerbank.access import Caller, Permission
from opsuite.powerbank.audit import service as audit
from opsuite.powerbank.envelope import Page
from opsuite.powerbank.errors import BadRequest, Forbidden, NotFound
from opsuite.powerbank.org_units.models import OrgUnit
from opsuite.powerbank.org_units.schemas import OrgUnitCreate, OrgUnitUpdate
from opsuite.powerbank.powerbanks.models import Powerbank
from opsuite.powerbank.stations.models import Station
from opsuite.powerbank.users.models import UserRole
from opsuite.powerbank.vocab import UnitType

UNIT_NOT_FOUND = "Организационная единица не найдена"
GROUP_HAS_NO_PARENT = "У группы не может быть родительской группы"
SUBGROUP_NEEDS_GROUP = "Родителем подгруппы должна быть группа"
HAS_SUBGROUPS = "У группы есть подгруппы"
IN_USE = "К организационной единице привязаны подгруппы, пользователи, станции или повербанки"
UNIT_CREATED = "Организационная единица создана"
UNIT_UPDATED = "Организационная единица обновлена"
UNIT_DELETED = "Организационная единица удалена"

Parent = aliased(OrgUnit)


def get_unit(session: Session, unit_id: int) -> OrgUnit:
    """A live unit; 404 otherwise."""
    unit = session.get(OrgUnit, unit_id)
    if unit is None or unit.deleted_at is not None:
        raise NotFound(UNIT_NOT_FOUND)
    return unit


def check_parent(
    session: Session, unit_type: UnitType, parent_id: int | None, *, self_id: int | None = None
) -> None:
    """400 unless a group has no parent and a subgroup's parent is a live group other than itself."""
    if unit_type is UnitType.GROUP:
        if parent_id is not None:
            raise BadRequest(GROUP_HAS_NO_PARENT)
        return
    if parent_id is None or parent_id == self_id:
        raise BadRequest(SUBGROUP_NEEDS_GROUP)
    parent = session.get(OrgUnit, parent_id)
    if parent is None or parent.deleted_at is not None or parent.unit_type != UnitType.GROUP:
        raise BadRequest(SUBGROUP_NEEDS_GROUP)


def add_unit(
    session: Session,
    *,
    name: str,
    unit_type: UnitType,
    parent_id: int | None,
    now: datetime,
    adress: str | None = None,
    logo_url: str | None = None,
    default_powerbank_limit: int = 1,
    reminder_hours: int = 24,
    write_off_hours: int = 48,
) -> OrgUnit:
    """Insert a unit after the tree's checks."""
    check_parent(session, unit_type, parent_id)
    unit = OrgUnit(
        name=name,
        unit_type=unit_type.value,
        parent_id=parent_id,
        adress=adress,
        logo_url=logo_url,
        default_powerbank_limit=default_powerbank_limit,
        reminder_hours=reminder_hours,
        write_off_hours=write_off_hours,
        created_at=now,
    )
    session.add(unit)
    session.flush()
    return unit


def _readable(session: Session, caller: Caller) -> ColumnElement[bool]:
    """Admins read their scope; a plain user reads the own unit only."""
    if caller.is_admin:
        scope = access.scope_of(session, caller)
        if scope.everything:
            return true()
        return OrgUnit.id.in_(scope.units) if scope.units else false()
    return OrgUnit.id == caller.org_unit_id if caller.org_unit_id is not None else false()


def list_units(
    session: Session, *, caller: Caller, page: Page, unit_type: UnitType | None, parent_id: int | None
) -> tuple[list[tuple[OrgUnit, str | None]], int]:
    """A page of the live units the caller reads, with each parent's name, by id."""
    query = (
        select(OrgUnit, Parent.name)
        .outerjoin(Parent, Parent.id == OrgUnit.parent_id)
        .where(OrgUnit.deleted_at.is_(None), _readable(session, caller))
    )
    if unit_type is not None:
        query = query.where(OrgUnit.unit_type == unit_type.value)
    if parent_id is not None:
        query = query.where(OrgUnit.parent_id == parent_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(query.order_by(OrgUnit.id).offset(page.offset).limit(page.limit)).all()
    return [(unit, parent_name) for unit, parent_name in rows], total


def view_unit(session: Session, *, caller: Caller, unit_id: int) -> tuple[OrgUnit, str | None]:
    """One live unit the caller reads, with its parent's name: 404 unknown, 403 outside."""
    unit = get_unit(session, unit_id)
    if not session.scalar(select(func.count()).where(OrgUnit.id == unit_id, _readable(session, caller))):
        raise Forbidden(access.OUT_OF_SCOPE)
    parent = session.get(OrgUnit, unit.parent_id) if unit.parent_id is not None else None
    return unit, parent.name if parent is not None else None


def _require_manages(session: Session, caller: Caller, unit_type: UnitType, parent_id: int | None) -> None:
    """Groups are the service admin's; a subgroup needs its parent in the caller's scope."""
    access.require(caller, Permission.MANAGE_ORG_UNITS)
    if unit_type is UnitType.GROUP:
        access.require(caller, Permission.SERVICE)
    else:
        access.require_in_scope(session, caller, parent_id)


def create_unit(session: Session, *, caller: Caller, new: OrgUnitCreate, now: datetime) -> OrgUnit:
    """A new group (service admin) or subgroup (of a group in the caller's scope)."""
    _require_manages(session, caller, new.unit_type, new.parent_org_unit_id)
    unit = add_unit(
        session,
        name=new.name,
        unit_type=new.unit_type,
        parent_id=new.parent_org_unit_id,
        now=now,
        adress=new.adress,
        logo_url=new.logo_url,
        default_powerbank_limit=new.default_powerbank_limit,
        reminder_hours=new.reminder_hours,
        write_off_hours=new.write_off_hours,
    )
    audit.record(
        session,
        actor_id=caller.user_id,
        action="create_org_unit",
        entity="org_unit",
        entity_id=unit.id,
        at=now,
    )
    return unit


def update_unit(
    session: Session, *, caller: Caller, unit_id: int, change: OrgUnitUpdate, now: datetime
) -> OrgUnit:
    """Change the fields sent; moving a unit in the tree keeps the tree's rules and the caller's scope."""
    access.require(caller, Permission.MANAGE_ORG_UNITS)
    unit = get_unit(session, unit_id)
    access.require_in_scope(session, caller, unit.id)
    sent = change.model_dump(exclude_unset=True)
    unit_type = UnitType(sent.get("unit_type") or unit.unit_type)
    parent_id = sent.get("parent_org_unit_id", unit.parent_id)
    if unit_type is UnitType.GROUP and "parent_org_unit_id" not in sent and "unit_type" in sent:
        parent_id = None
    if (unit_type.value, parent_id) != (unit.unit_type, unit.parent_id):
        if unit.unit_type == UnitType.GROUP:
            access.require(caller, Permission.SERVICE)  # a group's place in the tree is the service admin's
        _require_manages(session, caller, unit_type, parent_id)
        check_parent(session, unit_type, parent_id, self_id=unit.id)
        if unit_type is UnitType.SUBGROUP and _has_children(session, unit.id):
            raise BadRequest(HAS_SUBGROUPS)
        unit.unit_type = unit_type.value
        unit.parent_id = parent_id
    for name in (
        "name",
        "adress",
        "logo_url",
        "default_powerbank_limit",
        "reminder_hours",
        "write_off_hours",
    ):
        if name in sent and (sent[name] is not None or name in ("adress", "logo_url")):
            setattr(unit, name, sent[name])
    unit.updated_at = now
    audit.record(
        session,
        actor_id=caller.user_id,
        action="update_org_unit",
        entity="org_unit",
        entity_id=unit.id,
        at=now,
    )
    session.flush()
    return unit


def _has_children(session: Session, unit_id: int) -> bool:
    live_child = exists().where(OrgUnit.parent_id == unit_id, OrgUnit.deleted_at.is_(None))
    return bool(session.scalar(select(live_child)))


def delete_unit(session: Session, *, caller: Caller, unit_id: int, now: datetime) -> None:
    """Soft-delete a unit with nothing attached; the caller's own unit stays (a service admin's may go)."""
    access.require(caller, Permission.MANAGE_ORG_UNITS)
    unit = get_unit(session, unit_id)
    access.require_in_scope(session, caller, unit.id)
    if unit.id == caller.org_unit_id and not caller.is_service_admin:
        raise Forbidden(access.FORBIDDEN)
    attached = (
        exists().where(UserRole.org_unit_id == unit_id),
        exists().where(Station.org_unit_id == unit_id),
        exists().where(Powerbank.org_unit_id == unit_id),
    )
    if _has_children(session, unit_id) or any(session.scalar(select(clause)) for clause in attached):
        raise BadRequest(IN_USE)
    unit.deleted_at = now
    audit.record(
        session,
        actor_id=caller.user_id,
        action="delete_org_unit",
        entity="org_unit",
        entity_id=unit.id,
        at=now,
    )
