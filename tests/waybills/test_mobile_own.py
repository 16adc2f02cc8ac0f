"""A trip booked from the mobile app goes only on the caller's own waybill (403 otherwise)."""

from __future__ import annotations

from typing import Any

import pytest

from opsuite.waybills.sheets.service import MOBILE_OWN_WAYBILL
from tests.waybills.helpers import ADMIN_LOGIN, ADMIN_PASSWORD, Api

PASSWORD = "pass12345"
KINDS = {"passenger": "passenger-car", "fire": "fire-truck"}
FIELD = {"passenger": "passenger_car_waybill", "fire": "fire_truck_waybill"}
DENIED = {"detail": MOBILE_OWN_WAYBILL}


def prepared_waybill(api: Api, kind: str, driver: int, date: str = "2024-05-01") -> int:
    """A waybill of `driver` on a car with a norm and a starting state."""
    car = int(api.car(kind)["id"])
    api.norm(kind, car, "summer", "2024-01-01")
    api.state(kind, car, 20000, "150.000", "2024-01-01")
    return int(api.waybill(kind, car, driver, date)["id"])


def trip(kind: str, waybill: int) -> dict[str, Any]:
    """A record body on `waybill`."""
    if kind == "passenger":
        return {FIELD[kind]: waybill, "target": "Поездка", "departure_time": "08:00:00", "arrival_time": "09:00:00",
                "distance_city_km": 10, "distance_area_km": 0, "fuel_refueled": "0.000", "fuel_used": "1.000"}  # fmt: skip
    return {FIELD[kind]: waybill, "target": "Выезд", "departure_time": "14:00:00", "arrival_time": "15:00:00",
            "odometer_after": 20010, "time_with_pump": 0, "time_without_pump": 0, "fuel_refueled": "0.000",
            "fuel_used": "1.000"}  # fmt: skip


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_mobile_driver_books_only_on_own_waybill(api: Api, kind: str) -> None:
    me, other = api.user("driver"), api.user("driver")
    mine = prepared_waybill(api, kind, me["id"])
    theirs = prepared_waybill(api, kind, other["id"])
    phone = api.login(me["login"], PASSWORD, "mobile")
    refused = api.post(f"{KINDS[kind]}-records/", trip(kind, theirs), token=phone)
    assert (refused.status_code, refused.json()) == (403, DENIED)
    assert api.ok("GET", f"{KINDS[kind]}-records/?{FIELD[kind]}={theirs}") == []
    booked = api.post(f"{KINDS[kind]}-records/", trip(kind, mine), token=phone)
    assert (booked.status_code, booked.json()[FIELD[kind]]) == (201, mine)
    # The web client keeps the office rule: the create-records flag, on any waybill.
    desk = api.login(me["login"], PASSWORD, "web")
    assert api.post(f"{KINDS[kind]}-records/", trip(kind, theirs), token=desk).status_code == 201


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_mobile_caller_cannot_move_or_edit_a_trip_on_another_waybill(api: Api, kind: str) -> None:
    # The administrator's role may update records; from the app it is still held to its own waybills.
    driver = api.user("driver")
    admin_id = api.ok("GET", "auth/me/")["id"]
    mine = prepared_waybill(api, kind, admin_id)
    theirs = prepared_waybill(api, kind, driver["id"])
    phone = api.login(ADMIN_LOGIN, ADMIN_PASSWORD, "mobile")
    own_trip = api.ok("POST", f"{KINDS[kind]}-records/", trip(kind, mine), status=201, token=phone)["id"]
    their_trip = api.ok("POST", f"{KINDS[kind]}-records/", trip(kind, theirs), status=201)["id"]
    moved = api.patch(f"{KINDS[kind]}-records/{own_trip}/", {FIELD[kind]: theirs}, token=phone)
    assert (moved.status_code, moved.json()) == (403, DENIED)
    edited = api.patch(f"{KINDS[kind]}-records/{their_trip}/", {"target": "Чужая"}, token=phone)
    assert (edited.status_code, edited.json()) == (403, DENIED)
    assert api.ok("GET", f"{KINDS[kind]}-records/{their_trip}/")["target"] == trip(kind, theirs)["target"]
    kept = api.patch(f"{KINDS[kind]}-records/{own_trip}/", {"target": "Своя"}, token=phone)
    assert (kept.status_code, kept.json()["target"]) == (200, "Своя")
