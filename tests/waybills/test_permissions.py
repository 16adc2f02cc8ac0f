"""Roles and permission flags: the exact flag set, the default roles, and the per-route, per-action matrix.

The matrix uses one probe user whose role's permission row the administrator rewrites between calls,
so that no password is hashed per case. For every (route, action, flag) the probe is checked three
times: with no flag (403), with every flag except that one (403: no other flag grants the action),
and with only that flag (the exact success status).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import update

from opsuite.core.db import Database
from opsuite.waybills.roles.models import Role
from tests.waybills.helpers import Api

DENIED = {"detail": "У вас недостаточно прав для выполнения данного действия."}
PASSWORD = "pass12345"

# Notes §3.3, v4, in declaration order (typos as in the original).
FLAGS = (
    "can_use_mobile_booking",
    "can_create_users", "can_delete_users", "can_update_users", "view_users", "view_drivers",
    "can_create_roles", "can_delete_roles", "can_update_roles", "view_roles",
    "can_create_permissions", "can_delete_permissisons", "can_update_permissisons", "view_permissisons",
    "can_create_fire_trucks", "can_delete_fire_trucks", "can_update_fire_trucks", "view_fire_trucks",
    "can_create_fire_truck_waybills", "can_delete_fire_truck_waybills", "can_update_fire_truck_waybills",
    "can_download_fire_truck_waybills", "view_fire_truck_waybills",
    "can_create_fire_truck_waybills_records", "can_delete_fire_truck_waybills_records",
    "can_update_fire_truck_waybills_records", "view_fire_truck_waybills_records",
    "can_create_fire_truck_norms", "can_delete_fire_truck_norms", "can_update_fire_truck_norms",
    "view_fire_truck_norms",
    "can_download_fire_truck_reports", "view_fire_truck_reports",
    "can_create_passenger_cars", "can_delete_passenger_cars", "can_update_passenger_cars",
    "view_passenger_cars",
    "can_create_passenger_cars_waybills", "can_delete_passenger_cars_waybills",
    "can_update_passenger_cars_waybills", "can_download_passenger_cars_waybills",
    "view_passenger_cars_waybills",
    "can_create_passenger_cars_waybills_records", "can_delete_passenger_cars_waybills_records",
    "can_update_passenger_cars_waybills_records", "view_passenger_cars_waybills_records",
    "can_create_passenger_cars_norms", "can_delete_passenger_cars_norms", "can_update_passenger_cars_norms",
    "view_passenger_cars_norms",
    "can_download_passenger_cars_reports", "view_passenger_cars_reports",
    "can_download_drivers_reports", "view_drivers_reports",
    "can_create_technical_maintenance", "can_delete_technical_maintenance",
    "can_update_technical_maintenance", "view_technical_maintenance",
    "view_operating_hours",
)  # fmt: skip
ALL = frozenset(FLAGS)
MANAGEMENT = frozenset(
    {
        "can_create_users", "can_delete_users", "can_update_users", "view_users",
        "can_create_roles", "can_delete_roles", "can_update_roles", "view_roles",
        "can_create_permissions", "can_delete_permissisons", "can_update_permissisons", "view_permissisons",
    }
)  # fmt: skip
MECHANIC = ALL - MANAGEMENT - {"can_delete_passenger_cars", "can_delete_fire_trucks"}
DRIVER = frozenset(
    {
        "can_use_mobile_booking", "view_fire_trucks", "view_fire_truck_waybills",
        "can_create_fire_truck_waybills_records", "view_passenger_cars", "view_passenger_cars_waybills",
        "can_create_passenger_cars_waybills_records",
    }
)  # fmt: skip

_seq = itertools.count(1)


def _n() -> int:
    return next(_seq)


def _flags(granted: frozenset[str] | set[str]) -> dict[str, bool]:
    return {flag: flag in granted for flag in FLAGS}


# The probe: one user whose role's flags the administrator rewrites ---------------------------------


class Probe:
    """A role with a permission row, a user of it, and a web and a mobile token."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.role = api.ok("POST", "roles/", {"name": f"Проверка {_n()}"}, status=201)["id"]
        self.permission = api.ok("POST", "permissions/", {"role": self.role}, status=201)["id"]
        self.user = api.user(self.role)
        self.tokens = {
            "web": api.login(self.user["login"], PASSWORD, "web"),
            "mobile": api.login(self.user["login"], PASSWORD, "mobile"),
        }

    def grant(self, granted: frozenset[str] | set[str]) -> None:
        """Rewrite the probe role's flags: exactly `granted` are True."""
        self.api.ok("PUT", f"permissions/{self.permission}/", {"role": self.role, **_flags(granted)})


@dataclass
class Case:
    """One call of the matrix: `request()` returns (method, path, body), fresh for every attempt."""

    name: str
    flag: str
    request: Callable[[], tuple[str, str, Any]]
    status: int
    client: str = "web"
    also_denied_with: frozenset[str] = frozenset()  # single flags that must not grant it either


def run_matrix(api: Api, probe: Probe, cases: list[Case]) -> None:
    """Check every case with no flag, all flags but its own, its flag only; report every mismatch.

    Calls are grouped by the flag set they need, so the permission row is rewritten once per set; all
    denied attempts run before the allowed ones, so a destroy target is still there when it is allowed.
    """
    denied: dict[frozenset[str], list[tuple[Case, str]]] = {}
    allowed: dict[frozenset[str], list[tuple[Case, str]]] = {}
    for case in cases:
        denied.setdefault(frozenset(), []).append((case, "no flags"))
        denied.setdefault(ALL - {case.flag}, []).append((case, f"all but {case.flag}"))
        for other in sorted(case.also_denied_with):
            denied.setdefault(frozenset({other}), []).append((case, f"only {other}"))
        allowed.setdefault(frozenset({case.flag}), []).append((case, f"only {case.flag}"))
    problems: list[str] = []
    for plan, expect_denied in ((denied, True), (allowed, False)):
        for granted, attempts in plan.items():
            probe.grant(granted)
            for case, label in attempts:
                method, path, body = case.request()
                response = api.call(method, path, token=probe.tokens[case.client], json=body)
                expected = 403 if expect_denied else case.status
                where = f"{case.name} [{case.client}] {label}"
                if response.status_code != expected:
                    problems.append(f"{where}: {response.status_code} {response.text}")
                elif expected == 403 and response.json() != DENIED:
                    problems.append(f"{where}: body {response.text}")
    assert not problems, "\n".join(problems)
    assert len({case.name + case.client for case in cases}) == len(cases)


def crud_cases(
    prefix: str,
    flags: tuple[str, str, str, str],
    target: Callable[[], int],
    create: Callable[[], Any],
    replace: Callable[[int], Any],
    change: Any,
) -> list[Case]:
    """The six ModelViewSet actions; `target()` makes a row as the administrator."""
    view, can_create, can_update, can_delete = flags
    row, victim = target(), target()
    put = replace(row)
    return [
        Case(f"list {prefix}", view, lambda: ("GET", f"{prefix}/", None), 200),
        Case(f"retrieve {prefix}", view, lambda: ("GET", f"{prefix}/{row}/", None), 200),
        Case(f"create {prefix}", can_create, lambda: ("POST", f"{prefix}/", create()), 201),
        Case(f"update {prefix}", can_update, lambda: ("PUT", f"{prefix}/{row}/", put), 200),
        Case(f"partial_update {prefix}", can_update, lambda: ("PATCH", f"{prefix}/{row}/", change), 200),
        Case(f"destroy {prefix}", can_delete, lambda: ("DELETE", f"{prefix}/{victim}/", None), 204),
    ]


# Fixture builders per resource ---------------------------------------------------------------------


def _role_cases(api: Api, probe: Probe) -> list[Case]:
    def target() -> int:
        return int(api.ok("POST", "roles/", {"name": f"Цель {_n()}"}, status=201)["id"])

    return crud_cases(
        "roles",
        ("view_roles", "can_create_roles", "can_update_roles", "can_delete_roles"),
        target,
        lambda: {"name": f"Новая {_n()}"},
        lambda row: {"name": f"Переименована {_n()}"},
        {"name": "Заменена"},
    )


def _permission_cases(api: Api, probe: Probe) -> list[Case]:
    def fresh_role() -> int:
        return int(api.ok("POST", "roles/", {"name": f"Без прав {_n()}"}, status=201)["id"])

    def target() -> int:
        return int(api.ok("POST", "permissions/", {"role": fresh_role()}, status=201)["id"])

    return crud_cases(
        "permissions",
        ("view_permissisons", "can_create_permissions", "can_update_permissisons", "can_delete_permissisons"),
        target,
        lambda: {"role": fresh_role(), "view_roles": True},
        lambda row: {"role": api.ok("GET", f"permissions/{row}/")["role"], **_flags({"view_users"})},
        {"view_roles": True},
    )


def _user_cases(api: Api, probe: Probe) -> list[Case]:
    def body() -> dict[str, Any]:
        n = _n()
        return {"name": "Пётр", "surname": f"Петров{n}", "last_name": "Петрович", "login": f"new{n}",
                "password": PASSWORD, "phone": f"+7901{n:07d}", "role": 3}  # fmt: skip

    def replace(row: int) -> dict[str, Any]:
        user = api.ok("GET", f"users/{row}/")
        return {k: user[k] for k in ("name", "surname", "last_name", "login", "phone", "role")} | {
            "name": "Павел"
        }

    cases = crud_cases(
        "users",
        ("view_users", "can_create_users", "can_update_users", "can_delete_users"),
        lambda: int(api.user("driver")["id"]),
        body,
        replace,
        {"last_name": "Сидорович"},
    )
    cases.append(Case("users/drivers", "view_drivers", lambda: ("GET", "users/drivers/", None), 200))
    return cases


def _car_cases(kind: str) -> Callable[[Api, Probe], list[Case]]:
    prefix = "passenger-cars" if kind == "passenger" else "fire-trucks"
    stem = "passenger_cars" if kind == "passenger" else "fire_trucks"

    def build(api: Api, probe: Probe) -> list[Case]:
        def body() -> dict[str, Any]:
            data = {"number": f"Н{_n():03d}ОО54", "brand": "Lada", "model": "Vesta"}
            return data if kind == "passenger" else {**data, "type": "АЦ-3,2-40"}

        def replace(row: int) -> dict[str, Any]:
            car = api.ok("GET", f"{prefix}/{row}/")
            return {**body(), "number": car["number"]}

        return crud_cases(
            prefix,
            (f"view_{stem}", f"can_create_{stem}", f"can_update_{stem}", f"can_delete_{stem}"),
            lambda: int(api.car(kind)["id"]),
            body,
            replace,
            {"model": "Granta"},
        )

    return build


def _norm_cases(kind: str) -> Callable[[Api, Probe], list[Case]]:
    slug = "passenger-car" if kind == "passenger" else "fire-truck"
    stem = "passenger_cars_norms" if kind == "passenger" else "fire_truck_norms"

    def build(api: Api, probe: Probe) -> list[Case]:
        car = int(api.car(kind)["id"])
        values = (
            {"city_norm": "0.090", "area_norm": "0.110"}
            if kind == "passenger"
            else {"with_pump_norm": "0.250", "without_pump_norm": "0.150", "km_norm": "0.657"}
        )

        def body() -> dict[str, Any]:
            return {"car": car, "season": "winter", "date": "2024-10-01", **values}

        cases = crud_cases(
            f"{slug}-norms",
            (f"view_{stem}", f"can_create_{stem}", f"can_update_{stem}", f"can_delete_{stem}"),
            lambda: int(api.norm(kind, car)["id"]),
            body,
            lambda row: {**body(), "season": "summer", "date": "2024-09-01"},
            {"date": "2024-08-01"},
        )
        path = f"{slug}-norms/for-date/?car={car}&season=summer&date=2024-09-15"
        cases.append(Case(f"{slug}-norms/for-date", f"view_{stem}", lambda: ("GET", path, None), 200))
        return cases

    return build


def _state_cases(kind: str) -> Callable[[Api, Probe], list[Case]]:
    slug = "passenger-car" if kind == "passenger" else "fire-truck"
    stem = "passenger_cars" if kind == "passenger" else "fire_trucks"

    def build(api: Api, probe: Probe) -> list[Case]:
        car = int(api.car(kind)["id"])

        def body() -> dict[str, Any]:
            n = _n()
            return {"car": car, "odometer": 100000 + n, "fuel": "40.000", "date": f"2024-{1 + n % 12:02d}-01"}

        cases = crud_cases(
            f"{slug}-odometer-fuel",
            (f"view_{stem}", f"can_create_{stem}", f"can_update_{stem}", f"can_delete_{stem}"),
            lambda: int(api.state(kind, car, 100000, "40.000")["id"]),
            body,
            lambda row: {"car": car, "odometer": 100500, "fuel": "41.000", "date": "2024-09-01"},
            {"fuel": "42.000"},
        )
        path = f"{slug}-odometer-fuel/last/?car={car}"
        cases.append(Case(f"{slug}-odometer-fuel/last", f"view_{stem}", lambda: ("GET", path, None), 200))
        return cases

    return build


def _prepared_car(api: Api, kind: str) -> int:
    car = int(api.car(kind)["id"])
    api.norm(kind, car, "summer", "2024-01-01")
    api.state(kind, car, 20000, "150.000", "2024-01-01")
    return car


def _waybill_cases(kind: str) -> Callable[[Api, Probe], list[Case]]:
    slug = "passenger-car" if kind == "passenger" else "fire-truck"
    stem = "passenger_cars_waybills" if kind == "passenger" else "fire_truck_waybills"

    def build(api: Api, probe: Probe) -> list[Case]:
        car = _prepared_car(api, kind)
        driver = int(probe.user["id"])
        days = itertools.count(1)

        def body() -> dict[str, Any]:
            day = next(days)
            return {"car": car, "driver": driver, "date": f"2024-03-{day:02d}", "norm_season": "summer"}

        def target() -> int:
            return int(api.ok("POST", f"{slug}-waybills/", body(), status=201)["id"])

        def replace(row: int) -> dict[str, Any]:
            waybill = api.ok("GET", f"{slug}-waybills/{row}/")
            return {"car": car, "driver": driver, "date": waybill["date"], "norm_season": "winter"}

        return crud_cases(
            f"{slug}-waybills",
            (f"view_{stem}", f"can_create_{stem}", f"can_update_{stem}", f"can_delete_{stem}"),
            target,
            body,
            replace,
            {"fuel_type": "diesel"},
        )

    return build


def _record_cases(kind: str) -> Callable[[Api, Probe], list[Case]]:
    slug = "passenger-car" if kind == "passenger" else "fire-truck"
    stem = "passenger_cars_waybills" if kind == "passenger" else "fire_truck_waybills"
    field = "passenger_car_waybill" if kind == "passenger" else "fire_truck_waybill"
    records = f"can_create_{stem}_records"

    def build(api: Api, probe: Probe) -> list[Case]:
        car = _prepared_car(api, kind)
        waybill = int(api.waybill(kind, car, int(probe.user["id"]), "2024-05-01")["id"])
        odometers = itertools.count(20010, 10)

        def body() -> dict[str, Any]:
            if kind == "passenger":
                return {field: waybill, "target": "Поездка", "departure_time": "08:00:00",
                        "arrival_time": "09:00:00", "distance_city_km": 10, "distance_area_km": 0,
                        "fuel_refueled": "0.000", "fuel_used": "1.000"}  # fmt: skip
            return {field: waybill, "target": "Выезд", "departure_time": "14:00:00",
                    "arrival_time": "15:00:00", "odometer_after": next(odometers), "time_with_pump": 0,
                    "time_without_pump": 0, "fuel_refueled": "0.000", "fuel_used": "1.000"}  # fmt: skip

        def target() -> int:
            return int(api.ok("POST", f"{slug}-records/", body(), status=201)["id"])

        def replace(row: int) -> dict[str, Any]:
            record = api.ok("GET", f"{slug}-records/{row}/")
            return {k: v for k, v in record.items() if k in body()} | {"target": "Изменено"}

        prefix = f"{slug}-records"
        cases = crud_cases(
            prefix,
            # Listing records is gated by the waybill view flag (notes §4.6).
            (f"view_{stem}", records, f"can_update_{stem}_records", f"can_delete_{stem}_records"),
            target,
            body,
            replace,
            {"target": "Изменено снова"},
        )
        list_, retrieve, create = cases[:3]
        create.also_denied_with = frozenset({"can_use_mobile_booking"})
        mobile_create = Case(
            f"create {prefix}", "can_use_mobile_booking", lambda: ("POST", f"{prefix}/", body()), 201,
            "mobile", frozenset({records}),
        )  # fmt: skip
        row, victim = target(), target()
        put = replace(row)
        mobile_update = [
            Case(f"update {prefix}", f"can_update_{stem}_records",
                 lambda: ("PUT", f"{prefix}/{row}/", put), 200, "mobile",
                 frozenset({"can_use_mobile_booking"})),
            Case(f"partial_update {prefix}", f"can_update_{stem}_records",
                 lambda: ("PATCH", f"{prefix}/{row}/", {"target": "С телефона"}), 200, "mobile",
                 frozenset({"can_use_mobile_booking"})),
            Case(f"destroy {prefix}", f"can_delete_{stem}_records",
                 lambda: ("DELETE", f"{prefix}/{victim}/", None), 204, "mobile",
                 frozenset({"can_use_mobile_booking"})),
        ]  # fmt: skip
        for case in (list_, retrieve):
            case.also_denied_with = frozenset({f"view_{stem}_records"})
        return [*cases, mobile_create, *mobile_update]

    return build


RESOURCES: dict[str, Callable[[Api, Probe], list[Case]]] = {
    "roles": _role_cases,
    "permissions": _permission_cases,
    "users": _user_cases,
    "passenger-cars": _car_cases("passenger"),
    "fire-trucks": _car_cases("fire"),
    "passenger-car-norms": _norm_cases("passenger"),
    "fire-truck-norms": _norm_cases("fire"),
    "passenger-car-odometer-fuel": _state_cases("passenger"),
    "fire-truck-odometer-fuel": _state_cases("fire"),
    "passenger-car-waybills": _waybill_cases("passenger"),
    "fire-truck-waybills": _waybill_cases("fire"),
    "passenger-car-records": _record_cases("passenger"),
    "fire-truck-records": _record_cases("fire"),
}


@pytest.mark.parametrize("resource", list(RESOURCES))
def test_permission_matrix(api: Api, resource: str) -> None:
    probe = Probe(api)
    run_matrix(api, probe, RESOURCES[resource](api, probe))


# Flags, default roles, current/ ----------------------------------------------------------------------


def test_the_permission_object_lists_the_59_flags_in_order(api: Api) -> None:
    assert len(FLAGS) == 59
    assert len(ALL) == 59
    body = api.ok("GET", "permissions/1/")
    assert list(body) == ["id", "deleted_at", *FLAGS, "role"]
    listed = api.ok("GET", "permissions/?role=1")
    assert [list(row) for row in listed] == [["id", "deleted_at", *FLAGS, "role"]]
    role = api.ok("POST", "roles/", {"name": "Пустая"}, status=201)
    created = api.ok("POST", "permissions/", {"role": role["id"]}, status=201)
    assert created == {"id": created["id"], "deleted_at": None, **_flags(set()), "role": role["id"]}
    assert list(created) == ["id", "deleted_at", *FLAGS, "role"]


def test_the_migration_creates_the_three_default_roles_with_their_flags(api: Api) -> None:
    assert api.ok("GET", "roles/") == [
        {"id": 1, "deleted_at": None, "name": "Администратор"},
        {"id": 2, "deleted_at": None, "name": "Механик"},
        {"id": 3, "deleted_at": None, "name": "Водитель"},
    ]
    assert len(MECHANIC) == 45
    assert "view_drivers" in MECHANIC
    for role_id, granted in ((1, ALL), (2, MECHANIC), (3, DRIVER)):
        rows = api.ok("GET", f"permissions/?role={role_id}")
        assert len(rows) == 1, rows
        assert rows[0] == {"id": rows[0]["id"], "deleted_at": None, **_flags(granted), "role": role_id}
    assert len(api.ok("GET", "permissions/")) == 3


def test_permissions_current_answers_the_flags_of_the_callers_live_role(api: Api) -> None:
    assert api.ok("GET", "permissions/current/") == api.ok("GET", "permissions/?role=1")[0]
    driver = api.token_for("driver", "mobile")
    assert api.ok("GET", "permissions/current/", token=driver) == api.ok("GET", "permissions/?role=3")[0]
    # A role without a permission row, and a user without a role: 404 with the original's text.
    bare = api.ok("POST", "roles/", {"name": "Без прав"}, status=201)
    user = api.user(bare["id"])
    token = api.login(user["login"], PASSWORD)
    missing = {"detail": "No permissions found for user role"}
    response = api.get("permissions/current/", token=token)
    assert (response.status_code, response.json()) == (404, missing)
    nobody = api.token_for(None)
    response = api.get("permissions/current/", token=nobody)
    assert (response.status_code, response.json()) == (404, missing)
    # Only authentication is needed: a role whose flags are all False still reads them.
    permission = api.ok("POST", "permissions/", {"role": bare["id"]}, status=201)
    assert api.ok("GET", "permissions/current/", token=token) == permission


def test_a_user_without_role_is_denied_every_flagged_route(api: Api) -> None:
    token = api.token_for(None)
    car = api.car("passenger")
    calls = [
        ("GET", "roles/"), ("GET", "permissions/"), ("GET", "users/"), ("GET", "users/drivers/"),
        ("GET", "passenger-cars/"), ("GET", f"passenger-cars/{car['id']}/"),
        ("DELETE", f"passenger-cars/{car['id']}/"),
        ("GET", "fire-truck-norms/for-date/?car=1&season=summer&date=2024-01-01"),
        ("GET", f"passenger-car-odometer-fuel/last/?car={car['id']}"), ("GET", "fire-truck-waybills/"),
        ("GET", "passenger-car-records/"),
    ]  # fmt: skip
    for method, path in calls:
        response = api.call(method, path, token=token)
        assert (response.status_code, response.json()) == (403, DENIED), (method, path)
    assert api.ok("GET", "auth/me/", token=token)["role"] is None


def test_the_flag_check_comes_before_body_validation_and_row_lookup(api: Api) -> None:
    probe = Probe(api)
    token = probe.tokens["web"]
    for method, path, body in (
        ("POST", "passenger-cars/", {}),
        ("POST", "passenger-car-records/", {"passenger_car_waybill": "x"}),
        ("PUT", "roles/999999/", {}),
        ("PATCH", "users/999999/", {"phone": "bad"}),
        ("DELETE", "fire-trucks/999999/", None),
        ("GET", "passenger-car-waybills/999999/", None),
    ):
        response = api.call(method, path, token=token, json=body)
        assert (response.status_code, response.json()) == (403, DENIED), (method, path, response.text)


# Soft-deleted roles and permission rows grant nothing ------------------------------------------------


def _user_with_all_flags(api: Api) -> tuple[int, int, str]:
    role = api.ok("POST", "roles/", {"name": "Всё можно"}, status=201)["id"]
    permission = api.ok("POST", "permissions/", {"role": role, **_flags(ALL)}, status=201)["id"]
    user = api.user(role)
    return role, permission, api.login(user["login"], PASSWORD, "mobile")


def test_a_soft_deleted_role_grants_nothing(api: Api) -> None:
    role, _permission, token = _user_with_all_flags(api)
    assert api.get("passenger-cars/", token=token).status_code == 200
    assert api.get("users/drivers/", token=token).status_code == 200
    api.ok("DELETE", f"roles/{role}/", status=204)
    for path in ("passenger-cars/", "users/drivers/", "roles/", "permissions/"):
        response = api.get(path, token=token)
        assert (response.status_code, response.json()) == (403, DENIED), path
    response = api.get("permissions/current/", token=token)
    assert (response.status_code, response.json()) == (404, {"detail": "No permissions found for user role"})
    # The token itself is still valid: the user exists and the password did not change.
    assert api.get("auth/me/", token=token).status_code == 200


def test_a_soft_deleted_permission_row_grants_nothing_until_a_new_one_is_made(api: Api) -> None:
    role, permission, token = _user_with_all_flags(api)
    api.ok("DELETE", f"permissions/{permission}/", status=204)
    response = api.get("passenger-cars/", token=token)
    assert (response.status_code, response.json()) == (403, DENIED)
    assert api.get("permissions/current/", token=token).status_code == 404
    assert api.ok("GET", f"permissions/?role={role}") == []
    again = api.ok("POST", "permissions/", {"role": role, "view_passenger_cars": True}, status=201)
    assert api.ok("GET", "permissions/current/", token=token) == again
    assert api.get("passenger-cars/", token=token).status_code == 200
    assert api.get("fire-trucks/", token=token).status_code == 403


def test_the_default_driver_role_works_from_both_clients(api: Api) -> None:
    car = _prepared_car(api, "passenger")
    driver = api.user("driver")
    waybill = api.waybill("passenger", car, driver["id"], "2024-05-01")
    for client in ("web", "mobile"):
        token = api.login(driver["login"], PASSWORD, client)
        body = {"passenger_car_waybill": waybill["id"], "target": client, "departure_time": "08:00:00",
                "arrival_time": "09:00:00", "distance_city_km": 10, "distance_area_km": 0,
                "fuel_used": "1.000"}  # fmt: skip
        assert api.call("POST", "passenger-car-records/", token=token, json=body).status_code == 201
        assert api.get("passenger-cars/", token=token).status_code == 200
        assert api.get("passenger-car-waybills/", token=token).status_code == 200
        car_body = {"number": f"Д{client[0]}001", "brand": "Lada", "model": "Vesta"}
        for method, path in (("POST", "passenger-cars/"), ("GET", "users/drivers/"), ("GET", "roles/")):
            response = api.call(method, path, token=token, json=car_body if method == "POST" else None)
            assert (response.status_code, response.json()) == (403, DENIED), (client, method, path)


# The driver role is found by its marker --------------------------------------------------------------


def test_drivers_are_the_users_of_the_driver_role_found_by_marker(api: Api, database: Database) -> None:
    first = api.user("driver", surname="Антонов")
    second = api.user("driver", surname="Борисов")
    api.user("mechanic")
    api.user(None)

    def drivers() -> list[int]:
        return [user["id"] for user in api.ok("GET", "users/drivers/")]

    assert drivers() == [first["id"], second["id"]]
    # Another role named "Водитель" is not the driver role, whatever its name or id.
    api.ok("PUT", "roles/3/", {"name": "Шофёр"})
    impostor = api.ok("POST", "roles/", {"name": "Водитель"}, status=201)
    api.ok("POST", "permissions/", {"role": impostor["id"], **_flags(DRIVER)}, status=201)
    other = api.user(impostor["id"])
    assert drivers() == [first["id"], second["id"]]
    # Deleting and recreating roles moves ids around; the list does not follow names or ids.
    api.ok("DELETE", f"roles/{impostor['id']}/", status=204)
    recreated = api.ok("POST", "roles/", {"name": "Водитель"}, status=201)
    assert recreated["id"] != impostor["id"]
    api.ok("PATCH", f"users/{other['id']}/", {"role": recreated["id"]})
    api.ok("DELETE", "roles/2/", status=204)
    assert drivers() == [first["id"], second["id"]]
    api.ok("DELETE", f"users/{second['id']}/", status=204)
    assert drivers() == [first["id"]]
    # A database where the driver role ended up with another id (say the migration ran after roles
    # had been created by hand): the marker moves, and the list follows the marker, not id 3.
    with database.session() as session:
        marker = session.scalar(Role.__table__.select().with_only_columns(Role.code).where(Role.id == 3))
        session.execute(update(Role).where(Role.id == 3).values(code=None))
        session.execute(update(Role).where(Role.id == recreated["id"]).values(code=marker))
    assert drivers() == [other["id"]]
