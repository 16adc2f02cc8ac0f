"""Org units: the two-level tree's rules (a group has no parent, a subgroup's parent is a live group)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from opsuite.powerbank.errors import BadRequest, NotFound
from opsuite.powerbank.org_units.models import OrgUnit
from opsuite.powerbank.vocab import UnitType

UNIT_NOT_FOUND = "Организационная единица не найдена"
GROUP_HAS_NO_PARENT = "У группы не может быть родительской группы"
SUBGROUP_NEEDS_GROUP = "Родителем подгруппы должна быть группа"


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
