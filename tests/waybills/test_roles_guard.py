"""The last role able to manage roles cannot be deleted or stripped; `admin create` repairs a broken install."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, update

from opsuite.core.clock import utcnow
from opsuite.core.db import Database
from opsuite.waybills.errors import BusinessError
from opsuite.waybills.roles import service as roles_service
from opsuite.waybills.roles.flags import FLAGS
from opsuite.waybills.roles.managers import LAST_MANAGER, ROLE_MANAGEMENT
from opsuite.waybills.roles.models import Permission, Role
from opsuite.waybills.users.admin import create_admin
from tests.waybills.helpers import ADMIN_LOGIN, ADMIN_PASSWORD, ROLE_IDS, Api

ADMIN_ROLE = ROLE_IDS["admin"]
ADMIN_PERMISSION = 1  # the migration's first permission row is the administrator's


def second_manager(api: Api) -> int:
    """A new role granted the role-management flags and role deletion; returns its id."""
    role = api.ok("POST", "roles/", {"name": "Кадры"}, status=201)["id"]
    flags = dict.fromkeys([*ROLE_MANAGEMENT, "can_delete_roles"], True)
    api.ok("POST", "permissions/", {"role": role, **flags}, status=201)
    return int(role)


def test_the_last_managing_role_cannot_be_deleted(api: Api) -> None:
    answer = api.delete(f"roles/{ADMIN_ROLE}/")
    assert (answer.status_code, answer.json()) == (400, [LAST_MANAGER])
    assert api.ok("GET", f"roles/{ADMIN_ROLE}/")["deleted_at"] is None
    answer = api.delete(f"permissions/{ADMIN_PERMISSION}/")
    assert (answer.status_code, answer.json()) == (400, [LAST_MANAGER])
    assert api.ok("GET", "permissions/current/")["can_update_permissisons"] is True


@pytest.mark.parametrize("flag", ROLE_MANAGEMENT)
def test_the_last_managing_role_cannot_lose_a_management_flag(api: Api, flag: str) -> None:
    answer = api.patch(f"permissions/{ADMIN_PERMISSION}/", {flag: False})
    assert (answer.status_code, answer.json()) == (400, [LAST_MANAGER])
    assert api.ok("GET", f"permissions/{ADMIN_PERMISSION}/")[flag] is True


def test_stripping_everything_with_put_is_refused_but_other_flags_still_change(api: Api) -> None:
    answer = api.put(f"permissions/{ADMIN_PERMISSION}/", {"role": ADMIN_ROLE})
    assert (answer.status_code, answer.json()) == (400, [LAST_MANAGER])
    everything_but_management = {flag: flag in ROLE_MANAGEMENT for flag in FLAGS}
    changed = api.ok(
        "PUT", f"permissions/{ADMIN_PERMISSION}/", {"role": ADMIN_ROLE, **everything_but_management}
    )
    assert {flag for flag in FLAGS if changed[flag]} == set(ROLE_MANAGEMENT)


def test_with_a_second_managing_role_the_first_may_go_but_not_both(api: Api) -> None:
    other = second_manager(api)
    user = api.user(other)
    api.ok("DELETE", f"roles/{ADMIN_ROLE}/", status=204)
    # The admin's own role is gone: a user of the remaining manager carries on.
    api.token = api.login(user["login"], "pass12345")
    answer = api.delete(f"roles/{other}/")
    assert (answer.status_code, answer.json()) == (400, [LAST_MANAGER])


def test_two_concurrent_deletions_of_the_two_managers_leave_one(api: Api, database: Database) -> None:
    other = second_manager(api)
    outcome: list[str] = []

    def delete_other() -> None:
        try:
            with database.session() as session:
                roles_service.delete_role(session, row_id=other)
            outcome.append("deleted")
        except BusinessError as error:
            outcome.append(error.message)

    with database.session() as first:
        roles_service.delete_role(first, row_id=ADMIN_ROLE)
        racer = threading.Thread(target=delete_other)
        racer.start()
        racer.join(1.0)  # the racer waits on the first transaction's lock (row lock, or SQLite's write lock)
    racer.join(60)
    assert outcome == [LAST_MANAGER]
    with database.session() as session:
        live = session.scalars(select(Role.id).where(Role.deleted_at.is_(None), Role.id.in_([1, other])))
        assert list(live) == [other]


def break_admin_role(
    database: Database, *, role: bool = False, permission: bool = False, code: bool = False
) -> None:
    """What an administrator could do before this rule existed: strip a flag, delete the row, the role."""
    with database.session() as session:
        admin_rows = update(Permission).where(Permission.role_id == ADMIN_ROLE)
        session.execute(admin_rows.values(can_update_roles=False))
        if permission:
            session.execute(admin_rows.values(deleted_at=utcnow()))
        if role:
            session.execute(update(Role).where(Role.id == ADMIN_ROLE).values(deleted_at=utcnow()))
        if code:  # as if the marked role had never been created
            session.execute(update(Role).where(Role.id == ADMIN_ROLE).values(code=None, name="Бывшая"))


def repair(database: Database, login: str = ADMIN_LOGIN) -> str:
    """`opsuite admin create waybills --username login` on the test's database."""
    with database.session() as session:
        return create_admin(session, login=login, password=ADMIN_PASSWORD)


def assert_full_admin(api: Api, login: str = ADMIN_LOGIN) -> None:
    """`login` logs in and its role grants every flag again."""
    api.token = api.login(login, ADMIN_PASSWORD)
    current = api.ok("GET", "permissions/current/")
    assert [flag for flag in FLAGS if not current[flag]] == []
    assert api.get("roles/").status_code == 200


def test_admin_create_restores_a_deleted_admin_role_and_its_flags(api: Api, database: Database) -> None:
    break_admin_role(database, role=True, permission=True)
    assert api.get("roles/").status_code == 403  # locked out
    assert repair(database) == (
        "administrator 'admin' updated (id 1); administrator role restored, given its permission row"
    )
    assert_full_admin(api)
    assert api.ok("GET", f"roles/{ADMIN_ROLE}/")["name"] == "Администратор"


def test_admin_create_recreates_a_missing_admin_role(api: Api, database: Database) -> None:
    break_admin_role(database, role=True, permission=True, code=True)
    message = repair(database, "rescuer")
    assert message.endswith("; administrator role recreated, given its permission row")
    assert_full_admin(api, "rescuer")
    with database.session() as session:
        role = session.scalars(select(Role).where(Role.code == "admin")).one()
        assert (role.id != ADMIN_ROLE, role.name, role.deleted_at) == (True, "Администратор", None)


def test_admin_create_gives_back_stripped_flags(api: Api, database: Database) -> None:
    assert repair(database, "second") == "administrator 'second' created (id 2)"  # sound: nothing to repair
    break_admin_role(database)
    assert repair(database) == "administrator 'admin' updated (id 1); administrator role given back 1 flag(s)"
    assert_full_admin(api)


def test_a_restored_role_takes_a_free_name(api: Api, database: Database) -> None:
    break_admin_role(database, role=True)
    with database.session() as session:
        session.add(Role(name="Администратор"))  # made while the old one was deleted
    assert repair(database).endswith("; administrator role restored, given back 1 flag(s)")
    assert_full_admin(api)
    assert api.ok("GET", f"roles/{ADMIN_ROLE}/")["name"] == "Администратор 2"
