"""The odometer/fuel chain: edits, deletions, back-dating and norm changes recompute what follows."""

from __future__ import annotations

from typing import Any

import pytest

from tests.waybills.helpers import Api

PC = "passenger-car"


def _passenger_setup(api: Api) -> dict[str, Any]:
    car = api.car("passenger")
    api.norm("passenger", car["id"], "summer", "2024-09-01", city_norm="0.100", area_norm="0.120")
    api.state("passenger", car["id"], 100000, "40.000", "2024-09-01")
    driver = api.user("driver")
    return {"car": car["id"], "driver": driver["id"]}


def _records(api: Api, waybill: int) -> list[tuple[int, str, int, str]]:
    rows = api.ok("GET", f"{PC}-records/?passenger_car_waybill={waybill}")
    return [
        (r["odometer_before"], r["fuel_before_departure"], r["odometer_after"], r["fuel_on_return"])
        for r in rows
    ]


def _totals(api: Api, waybill: int) -> tuple[str, ...]:
    w = api.ok("GET", f"{PC}-waybills/{waybill}/")
    return (w["upon_issuance"], w["total_spent"], w["total_received"], w["required_by_norm"],
            w["availability_upon_delivery"], w["savings"], w["overrun"])  # fmt: skip


def test_worked_example_of_the_notes_winter_norms(api: Api) -> None:
    car = api.car("passenger")
    api.norm("passenger", car["id"], "winter", "2025-01-01", city_norm="0.100", area_norm="0.120")
    api.state("passenger", car["id"], 100000, "40.000", "2025-01-01")
    driver = api.user("driver")
    w = api.waybill("passenger", car["id"], driver["id"], "2025-01-15", season="winter")
    r = api.record("passenger", w["id"], distance_city_km=20, distance_area_km=50, fuel_refueled="10.000",
                   fuel_used="7.500")  # fmt: skip
    assert (r["distance_total_km"], r["odometer_after"], r["fuel_used_city"], r["fuel_used_area"],
            r["fuel_used_normal"], r["fuel_on_return"]) == (70, 100070, "2.000", "6.000", "8.000", "42.500")  # fmt: skip
    assert _totals(api, w["id"]) == ("40.000", "7.500", "10.000", "8.000", "42.500", "0.500", "0.000")


def test_editing_the_first_record_recomputes_the_rest_of_the_chain_across_waybills(api: Api) -> None:
    s = _passenger_setup(api)
    w1 = api.waybill("passenger", s["car"], s["driver"], "2024-09-10")
    w2 = api.waybill("passenger", s["car"], s["driver"], "2024-09-11")
    r1 = api.record("passenger", w1["id"], distance_city_km=10, fuel_used="2.000")
    api.record("passenger", w1["id"], distance_city_km=20, fuel_used="3.000")
    api.record(
        "passenger",
        w2["id"],
        distance_city_km=0,
        distance_area_km=100,
        fuel_used="12.000",
        fuel_refueled="5.000",
    )
    assert _records(api, w2["id"]) == [(100030, "35.000", 100130, "28.000")]
    assert _totals(api, w2["id"])[0] == "35.000"

    api.ok("PATCH", f"{PC}-records/{r1['id']}/", {"fuel_used": "1.500", "distance_city_km": 15})
    assert _records(api, w1["id"]) == [
        (100000, "40.000", 100015, "38.500"),
        (100015, "38.500", 100035, "35.500"),
    ]
    assert _records(api, w2["id"]) == [(100035, "35.500", 100135, "28.500")]
    assert _totals(api, w1["id"]) == ("40.000", "4.500", "0.000", "3.500", "35.500", "0.000", "1.000")
    assert _totals(api, w2["id"]) == ("35.500", "12.000", "5.000", "12.000", "28.500", "0.000", "0.000")
    last = api.ok("GET", f"{PC}-odometer-fuel/last/?car={s['car']}")
    assert (last["odometer"], last["fuel"]) == (100135, "28.500")


def test_deleting_a_record_recomputes_the_next_one_and_removes_its_state(api: Api) -> None:
    s = _passenger_setup(api)
    w = api.waybill("passenger", s["car"], s["driver"], "2024-09-10")
    first = api.record("passenger", w["id"], distance_city_km=10, fuel_used="2.000")
    api.record("passenger", w["id"], distance_city_km=20, fuel_used="3.000")
    states_before = api.ok("GET", f"{PC}-odometer-fuel/?car={s['car']}")
    assert len(states_before) == 3

    api.ok("DELETE", f"{PC}-records/{first['id']}/", status=204)
    assert _records(api, w["id"]) == [(100000, "40.000", 100020, "37.000")]
    assert _totals(api, w["id"]) == ("40.000", "3.000", "0.000", "2.000", "37.000", "0.000", "1.000")
    states = api.ok("GET", f"{PC}-odometer-fuel/?car={s['car']}")
    assert [(x["odometer"], x["fuel"]) for x in states] == [(100000, "40.000"), (100020, "37.000")]
    assert api.get(f"{PC}-records/{first['id']}/").status_code == 404


def test_back_dated_waybill_chains_from_the_state_in_force_at_its_date(api: Api) -> None:
    s = _passenger_setup(api)
    late = api.waybill("passenger", s["car"], s["driver"], "2024-09-20")
    api.record("passenger", late["id"], distance_city_km=50, fuel_used="5.000")
    early = api.waybill("passenger", s["car"], s["driver"], "2024-09-05")
    assert _totals(api, early["id"])[0] == "40.000"  # not the later trip's 35.000
    api.record("passenger", early["id"], distance_city_km=30, fuel_used="4.000", fuel_refueled="10.000")
    assert _records(api, early["id"]) == [(100000, "40.000", 100030, "46.000")]
    assert _records(api, late["id"]) == [(100030, "46.000", 100080, "41.000")]

    # Moving the early waybill after the late one reorders the chain.
    api.ok("PATCH", f"{PC}-waybills/{early['id']}/", {"date": "2024-09-25"})
    assert _records(api, late["id"]) == [(100000, "40.000", 100050, "35.000")]
    assert _records(api, early["id"]) == [(100050, "35.000", 100080, "41.000")]
    assert _totals(api, early["id"])[0] == "35.000"


def test_deleting_a_waybill_removes_its_records_and_recomputes_later_trips(api: Api) -> None:
    s = _passenger_setup(api)
    w1 = api.waybill("passenger", s["car"], s["driver"], "2024-09-10")
    w2 = api.waybill("passenger", s["car"], s["driver"], "2024-09-11")
    r1 = api.record("passenger", w1["id"], distance_city_km=10, fuel_used="2.000")
    api.record("passenger", w2["id"], distance_city_km=10, fuel_used="2.000")
    api.ok("DELETE", f"{PC}-waybills/{w1['id']}/", status=204)
    assert _records(api, w2["id"]) == [(100000, "40.000", 100010, "38.000")]
    assert api.get(f"{PC}-records/{r1['id']}/").status_code == 404
    assert [r["id"] for r in api.ok("GET", f"{PC}-records/")] != [r1["id"]]
    assert len(api.ok("GET", f"{PC}-odometer-fuel/?car={s['car']}")) == 2


def test_a_new_norm_recomputes_later_records_only(api: Api) -> None:
    s = _passenger_setup(api)
    w1 = api.waybill("passenger", s["car"], s["driver"], "2024-09-10")
    w2 = api.waybill("passenger", s["car"], s["driver"], "2024-09-20")
    api.record("passenger", w1["id"], distance_city_km=100, fuel_used="9.000")
    r2 = api.record("passenger", w2["id"], distance_city_km=100, fuel_used="9.000")
    assert r2["fuel_used_city"] == "10.000"
    api.norm("passenger", s["car"], "summer", "2024-09-15", city_norm="0.080", area_norm="0.100")
    assert api.ok("GET", f"{PC}-records/{r2['id']}/")["fuel_used_city"] == "8.000"
    assert _totals(api, w1["id"])[3] == "10.000"
    assert _totals(api, w2["id"])[3:] == ("8.000", "22.000", "0.000", "1.000")


def test_a_change_that_would_break_a_later_record_is_refused_and_changes_nothing(api: Api) -> None:
    s = _passenger_setup(api)
    w1 = api.waybill("passenger", s["car"], s["driver"], "2024-09-10")
    w2 = api.waybill("passenger", s["car"], s["driver"], "2024-09-11")
    r1 = api.record("passenger", w1["id"], distance_city_km=10, fuel_used="2.000", fuel_refueled="20.000")
    api.record("passenger", w2["id"], distance_city_km=10, fuel_used="50.000")  # 58 - 50 = 8 left
    snapshot = (api.ok("GET", f"{PC}-records/"), api.ok("GET", f"{PC}-waybills/"),
                api.ok("GET", f"{PC}-odometer-fuel/"))  # fmt: skip

    response = api.patch(f"{PC}-records/{r1['id']}/", json={"fuel_refueled": "0.000"})
    assert response.status_code == 400
    [message] = response.json()
    w2_number = w2["number"]
    assert message == (
        "Остаток топлива не может быть отрицательным! Перед выездом 38.000 л, израсходовано 50.000 л, "
        f"заправлено 0.000 л (путевой лист № {w2_number} от 11.09.2024)."
    )
    after = (
        api.ok("GET", f"{PC}-records/"),
        api.ok("GET", f"{PC}-waybills/"),
        api.ok("GET", f"{PC}-odometer-fuel/"),
    )
    assert after == snapshot

    # Deleting the norm would leave every record without one: refused, nothing changes.
    norm_id = api.ok("GET", f"{PC}-norms/?car={s['car']}")[0]["id"]
    response = api.delete(f"{PC}-norms/{norm_id}/")
    assert response.status_code == 400
    number = api.ok("GET", f"passenger-cars/{s['car']}/")["number"]
    assert response.json() == [f"Не найдена норма для {number}, сезон=Лето"]
    assert api.ok("GET", f"{PC}-norms/{norm_id}/")["deleted_at"] is None


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("no_state", "Не найдены последние показания одометра/топлива для {number}. "
                     "Сначала создайте запись в OdometerFuelPassengerCar."),
        ("no_norm", "Не найдена норма для {number}, сезон=Зима"),
        ("late_norm", "Норма для {number}, сезон Лето существует, но создана позже даты путевого листа. "
                      "Создайте норму с датой не позднее 10.09.2024."),
    ],
)  # fmt: skip
def test_record_errors_are_bare_lists_with_the_original_texts(api: Api, setup: str, expected: str) -> None:
    car = api.car("passenger")
    driver = api.user("driver")
    season = "winter" if setup == "no_norm" else "summer"
    if setup != "no_state":
        api.state("passenger", car["id"], 1000, "10.000", "2024-09-01")
    api.norm("passenger", car["id"], "summer", "2024-09-20" if setup == "late_norm" else "2024-09-01")
    w = api.waybill("passenger", car["id"], driver["id"], "2024-09-10", season=season)
    response = api.post(f"{PC}-records/", json={
        "passenger_car_waybill": w["id"], "target": "x", "departure_time": "08:00", "arrival_time": "09:00",
        "distance_city_km": 1, "distance_area_km": 0, "fuel_used": "0.100",
    })  # fmt: skip
    assert response.status_code == 400
    assert response.json() == [expected.format(number=car["number"])]
    assert api.ok("GET", f"{PC}-records/") == []


def test_fire_truck_odometer_rules(api: Api) -> None:
    truck = api.car("fire")
    api.norm("fire", truck["id"], "summer", "2024-09-01", km_norm="0.200", with_pump_norm="0.300",
             without_pump_norm="0.150")  # fmt: skip
    api.state("fire", truck["id"], 50000, "150.000", "2024-09-01")
    driver = api.user("driver")
    card = api.waybill("fire", truck["id"], driver["id"], "2024-09-10")
    body = {"fire_truck_waybill": card["id"], "target": "x", "departure_time": "14:00", "arrival_time": "15:00",
            "time_with_pump": 30, "time_without_pump": 10, "fuel_used": "9.500"}  # fmt: skip
    back = api.post("fire-truck-records/", json={**body, "odometer_after": 49999})
    assert back.status_code == 400
    assert back.json() == [
        "Ошибка: одометр после поездки (49999) не может быть меньше чем одометр перед поездкой (50000) "
        f"(путевой лист № {card['number']} от 10.09.2024)."
    ]
    jump = api.post("fire-truck-records/", json={**body, "odometer_after": 52001})
    assert jump.status_code == 400
    assert jump.json() == [
        f"Ошибка: одометр не может увеличиться за раз более чем на 2000 км (50000 → 52001) "
        f"(путевой лист № {card['number']} от 10.09.2024)."
    ]
    ok = api.ok("POST", "fire-truck-records/", {**body, "odometer_after": 50020}, status=201)
    assert (ok["distance_km"], ok["fuel_used_by_distance"], ok["fuel_used_with_pump"], ok["fuel_used_without_pump"],
            ok["fuel_used_normal"], ok["fuel_on_return"]) == (20, "4.000", "9.000", "1.500", "14.500", "140.500")  # fmt: skip
    card = api.ok("GET", f"fire-truck-waybills/{card['id']}/")
    assert (card["savings"], card["overrun"]) == ("5.000", "0.000")

    # A correction of the start state that puts the trip's odometer behind it is refused.
    start = api.ok("GET", f"fire-truck-odometer-fuel/?car={truck['id']}")[0]
    refused = api.patch(f"fire-truck-odometer-fuel/{start['id']}/", json={"odometer": 50021})
    assert refused.status_code == 400
    fixed = api.ok(
        "PATCH", f"fire-truck-odometer-fuel/{start['id']}/", json={"odometer": 50010, "fuel": "100.000"}
    )
    assert (fixed["odometer"], fixed["fuel"]) == (50010, "100.000")
    again = api.ok("GET", f"fire-truck-records/{ok['id']}/")
    assert (again["odometer_before"], again["distance_km"], again["fuel_used_normal"], again["fuel_on_return"]) == (
        50010, 10, "12.500", "90.500",
    )  # fmt: skip


def test_a_state_written_by_a_record_cannot_be_edited_directly(api: Api) -> None:
    s = _passenger_setup(api)
    w = api.waybill("passenger", s["car"], s["driver"], "2024-09-10")
    api.record("passenger", w["id"], distance_city_km=10, fuel_used="2.000")
    last = api.ok("GET", f"{PC}-odometer-fuel/last/?car={s['car']}")
    response = api.patch(f"{PC}-odometer-fuel/{last['id']}/", json={"fuel": "1.000"})
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Эти показания записаны строкой путевого листа; измените или удалите строку."]
    }
    assert api.delete(f"{PC}-odometer-fuel/{last['id']}/").status_code == 400
