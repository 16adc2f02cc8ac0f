"""The scope rules of `access.py` that every domain calls, on the demo tree (group 1 with subgroup 2)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from opsuite.core.db import Database
from opsuite.powerbank import access
from opsuite.powerbank.access import Caller, Permission
from opsuite.powerbank.errors import Forbidden
from opsuite.powerbank.org_units import service as units_service
from opsuite.powerbank.vocab import Role, UnitType
from tests.powerbank.helpers import START

GROUP, SUBGROUP = 1, 2
SERVICE = Caller(user_id=1, role=Role.SERVICE_ADMIN, org_unit_id=None)
GROUP_ADMIN = Caller(user_id=2, role=Role.GROUP_ADMIN, org_unit_id=GROUP)
SUBGROUP_ADMIN = Caller(user_id=3, role=Role.SUBGROUP_ADMIN, org_unit_id=SUBGROUP)
MEMBER_OF_SUBGROUP = Caller(user_id=4, role=Role.USER, org_unit_id=SUBGROUP)
MEMBER_OF_GROUP = Caller(user_id=6, role=Role.USER, org_unit_id=GROUP)
UNPLACED = Caller(user_id=5, role=Role.USER, org_unit_id=None)


@pytest.fixture
def session(database: Database) -> Session:
    with database.session() as session:
        yield session  # type: ignore[misc]


def test_scopes_follow_the_tree(session: Session) -> None:
    other = units_service.add_unit(
        session, name="Филиал", unit_type=UnitType.GROUP, parent_id=None, now=START
    )
    assert access.scope_of(session, SERVICE) == access.EVERYTHING
    assert access.scope_of(session, GROUP_ADMIN).units == frozenset({GROUP, SUBGROUP})
    assert access.scope_of(session, SUBGROUP_ADMIN).units == frozenset({SUBGROUP})
    assert access.scope_of(session, UNPLACED) == access.NOTHING
    assert access.scope_of(session, GROUP_ADMIN).covers(other.id) is False
    assert access.scope_of(session, SERVICE).covers(None) is True
    assert access.scope_of(session, GROUP_ADMIN).covers(None) is False


def test_a_deleted_subgroup_leaves_the_scope(session: Session) -> None:
    units_service.get_unit(session, SUBGROUP).deleted_at = START
    session.flush()
    assert access.scope_of(session, GROUP_ADMIN).units == frozenset({GROUP})


def test_users_use_the_stations_of_their_subtree_only(session: Session) -> None:
    assert access.may_use_station(session, MEMBER_OF_GROUP, SUBGROUP) is True
    assert access.may_use_station(session, MEMBER_OF_GROUP, GROUP) is True
    assert access.may_use_station(session, MEMBER_OF_SUBGROUP, SUBGROUP) is True
    assert access.may_use_station(session, MEMBER_OF_SUBGROUP, GROUP) is False
    assert access.may_use_station(session, UNPLACED, SUBGROUP) is False
    assert access.may_use_station(session, SERVICE, None) is True


def test_a_groups_bank_fits_its_subgroups_stations_not_the_reverse(session: Session) -> None:
    assert access.bank_fits_station(session, GROUP, SUBGROUP) is True
    assert access.bank_fits_station(session, GROUP, GROUP) is True
    assert access.bank_fits_station(session, SUBGROUP, GROUP) is False
    assert access.bank_fits_station(session, None, GROUP) is False
    assert access.bank_fits_station(session, GROUP, None) is False


def test_permissions_by_least_role() -> None:
    table = {
        permission: [
            access.allowed(caller, permission)
            for caller in (MEMBER_OF_GROUP, SUBGROUP_ADMIN, GROUP_ADMIN, SERVICE)
        ]
        for permission in Permission
    }
    assert table == {
        Permission.READ_ALL: [False, True, True, True],
        Permission.MANAGE_USERS: [False, True, True, True],
        Permission.APPROVE_USERS: [False, False, True, True],
        Permission.MANAGE_EQUIPMENT: [False, False, True, True],
        Permission.FORCE_EJECT: [False, True, True, True],
        Permission.QUERY_INVENTORY: [False, True, True, True],
        Permission.MANAGE_ORG_UNITS: [False, False, True, True],
        Permission.SERVICE: [False, False, False, True],
    }


def test_roles_each_admin_may_give() -> None:
    given = {
        caller.role: [role for role in Role if access.may_assign(caller, role)]
        for caller in (MEMBER_OF_GROUP, SUBGROUP_ADMIN, GROUP_ADMIN, SERVICE)
    }
    assert given == {
        Role.USER: [],
        Role.SUBGROUP_ADMIN: [Role.USER],
        Role.GROUP_ADMIN: [Role.USER, Role.SUBGROUP_ADMIN],
        Role.SERVICE_ADMIN: list(Role),
    }


def test_acting_for_another_user_needs_an_admin_in_scope(session: Session) -> None:
    assert access.acting_for(session, MEMBER_OF_SUBGROUP, None) == access.Acting(user_id=4, for_other=False)
    assert access.acting_for(session, MEMBER_OF_SUBGROUP, 4) == access.Acting(user_id=4, for_other=False)
    assert access.acting_for(session, SUBGROUP_ADMIN, 4) == access.Acting(user_id=4, for_other=True)
    with pytest.raises(Forbidden, match="Доступ запрещен"):
        access.acting_for(session, MEMBER_OF_SUBGROUP, 3)
    with pytest.raises(Forbidden, match="Объект вне зоны ответственности администратора"):
        access.acting_for(session, SUBGROUP_ADMIN, 2)
