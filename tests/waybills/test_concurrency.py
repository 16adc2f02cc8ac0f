"""Races over a real socket: waybill numbers, one login, trips of one car, all at once."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.live import serve
from tests.waybills.helpers import Api


@pytest.fixture
def server_url(app: Any) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, in a thread."""
    with serve(app) as url:
        yield url


def _race(url: str, token: str, calls: list[tuple[str, str, Any]]) -> list[httpx.Response]:
    def send(call: tuple[str, str, Any]) -> httpx.Response:
        method, path, body = call
        with httpx.Client(base_url=url, timeout=60, headers={"Authorization": f"Bearer {token}"}) as client:
            return client.request(method, f"/api/{path}", json=body)

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(send, calls))


def test_twenty_concurrent_waybills_get_twenty_distinct_numbers(api: Api, server_url: str) -> None:
    car = api.car("passenger")
    api.norm("passenger", car["id"])
    api.state("passenger", car["id"], 1000, "50.000")
    driver = api.user("driver")
    calls = [
        ("POST", "passenger-car-waybills/",
         {"car": car["id"], "driver": driver["id"], "date": f"2024-10-{day:02d}", "norm_season": "summer"})
        for day in range(1, 21)
    ]  # fmt: skip
    responses = _race(server_url, api.token, calls)
    assert [r.status_code for r in responses] == [201] * 20
    numbers = sorted(r.json()["number"] for r in responses)
    assert numbers == [f"{n:06d}" for n in range(1, 21)]
    assert all(r.json()["upon_issuance"] == "50.000" for r in responses)


def test_the_same_waybill_twice_at_once_is_one_201_and_one_400(api: Api, server_url: str) -> None:
    car = api.car("passenger")
    driver = api.user("driver")
    body = {"car": car["id"], "driver": driver["id"], "date": "2024-10-01", "norm_season": "summer"}
    responses = _race(server_url, api.token, [("POST", "passenger-car-waybills/", body)] * 6)
    assert sorted(r.status_code for r in responses) == [201] + [400] * 5
    assert len(api.ok("GET", "passenger-car-waybills/")) == 1


def test_one_login_registered_six_times_at_once(api: Api, server_url: str) -> None:
    body = {
        "name": "A",
        "surname": "B",
        "last_name": "C",
        "login": "racer",
        "password": "x1",
        "phone": "+79990000000",
    }
    responses = _race(server_url, api.token, [("POST", "users/", body)] * 6)
    assert sorted(r.status_code for r in responses) == [201] + [400] * 5
    assert [u["login"] for u in api.ok("GET", "users/") if u["login"] == "racer"] == ["racer"]


def test_concurrent_trips_of_one_car_form_one_consistent_chain(api: Api, server_url: str) -> None:
    car = api.car("passenger")
    api.norm("passenger", car["id"], city_norm="0.100")
    api.state("passenger", car["id"], 1000, "100.000")
    driver = api.user("driver")
    waybill = api.waybill("passenger", car["id"], driver["id"], "2024-10-01")
    trip = {"passenger_car_waybill": waybill["id"], "target": "t", "departure_time": "08:00", "arrival_time": "09:00",
            "distance_city_km": 10, "distance_area_km": 0, "fuel_used": "1.000"}  # fmt: skip
    responses = _race(server_url, api.token, [("POST", "passenger-car-records/", trip)] * 10)
    assert [r.status_code for r in responses] == [201] * 10
    records = api.ok("GET", f"passenger-car-records/?passenger_car_waybill={waybill['id']}")
    assert [(r["odometer_before"], r["fuel_on_return"]) for r in records] == [
        (1000 + 10 * n, f"{99 - n}.000") for n in range(10)
    ]
    totals = api.ok("GET", f"passenger-car-waybills/{waybill['id']}/")
    assert (totals["total_spent"], totals["availability_upon_delivery"]) == ("10.000", "90.000")
