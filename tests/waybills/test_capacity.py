"""Capacity over a real socket: a crowd of writes gets 201s or 503 + Retry-After, never a stall or a 500;
`/health` stays fast while big lists run; a database that is down or a full pool is 503 in DRF's envelope."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert

from opsuite.core.capacity import CapacitySettings
from opsuite.core.db import Database
from opsuite.waybills import viewsets
from opsuite.waybills.app import create_app
from opsuite.waybills.errors import DATABASE_BUSY, DATABASE_DOWN
from opsuite.waybills.settings import WaybillsSettings
from opsuite.waybills.sheets.models import PassengerCarWaybill
from tests.live import serve
from tests.waybills.helpers import ADMIN_LOGIN, ADMIN_PASSWORD, Api

CROWD = 100
# Generous: on a loaded 2-core machine the crowd takes seconds; the stall this guards against took 30 s per wave.
CROWD_SECONDS = 120.0


@pytest.fixture
def server_url(app: Any) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, in a thread."""
    with serve(app) as url:
        yield url


def _crowd(url: str, token: str, calls: list[tuple[str, str, Any]]) -> tuple[list[httpx.Response], float]:
    def send(call: tuple[str, str, Any]) -> httpx.Response:
        method, path, body = call
        with httpx.Client(
            base_url=url, timeout=CROWD_SECONDS, headers={"Authorization": f"Bearer {token}"}
        ) as c:
            return c.request(method, f"/api/{path}", json=body)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        responses = list(pool.map(send, calls))
    return responses, time.monotonic() - started


def _no_5xx_but_503_with_retry_after(responses: list[httpx.Response], ok: int) -> list[httpx.Response]:
    """The successful responses; every other one must be a 503 in DRF's envelope with Retry-After."""
    refused = [r for r in responses if r.status_code != ok]
    busy = json.dumps({"detail": DATABASE_BUSY}, ensure_ascii=False, separators=(",", ":"))
    assert [(r.status_code, r.text, r.headers.get("retry-after")) for r in refused] == [
        (503, busy, "2")
    ] * len(refused)
    return [r for r in responses if r.status_code == ok]


def test_a_hundred_concurrent_waybill_creations(api: Api, server_url: str) -> None:
    car = api.car("passenger")
    api.norm("passenger", car["id"])
    api.state("passenger", car["id"], 1000, "50.000")
    driver = api.user("driver")
    first = dt.date(2024, 1, 1)
    calls = [
        ("POST", "passenger-car-waybills/",
         {"car": car["id"], "driver": driver["id"], "date": str(first + dt.timedelta(days=n)), "norm_season": "summer"})
        for n in range(CROWD)
    ]  # fmt: skip
    responses, seconds = _crowd(server_url, api.token, calls)
    created = _no_5xx_but_503_with_retry_after(responses, 201)
    assert seconds < CROWD_SECONDS
    numbers = sorted(r.json()["number"] for r in created)
    assert numbers == [f"{n:06d}" for n in range(1, len(created) + 1)]
    assert len(api.ok("GET", "passenger-car-waybills/")) == len(created)


def test_a_hundred_concurrent_edits_of_one_cars_chain(api: Api, server_url: str) -> None:
    car = api.car("passenger")
    api.norm("passenger", car["id"], city_norm="0.100")
    api.state("passenger", car["id"], 1000, "500.000")
    driver = api.user("driver")
    waybill = api.waybill("passenger", car["id"], driver["id"], "2024-10-01")
    trip = {"passenger_car_waybill": waybill["id"], "target": "t", "departure_time": "08:00", "arrival_time": "09:00",
            "distance_city_km": 10, "distance_area_km": 0, "fuel_used": "1.000"}  # fmt: skip
    responses, seconds = _crowd(server_url, api.token, [("POST", "passenger-car-records/", trip)] * CROWD)
    created = _no_5xx_but_503_with_retry_after(responses, 201)
    assert seconds < CROWD_SECONDS
    records = api.ok("GET", f"passenger-car-records/?passenger_car_waybill={waybill['id']}")
    assert [(r["odometer_before"], r["fuel_on_return"]) for r in records] == [
        (1000 + 10 * n, f"{499 - n}.000") for n in range(len(created))
    ]


def _seed_waybills(database: Database, car: int, driver: int, count: int) -> None:
    first = dt.date(2000, 1, 1)
    rows = [
        {"number": f"{n + 1:06d}", "car_id": car, "driver_id": driver, "date": first + dt.timedelta(days=n),
         "norm_season": "summer"}
        for n in range(count)
    ]  # fmt: skip
    with database.session() as session:
        session.execute(insert(PassengerCarWaybill), rows)


def _on_the_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def test_lists_run_off_the_loop_and_health_answers_while_ten_big_lists_run(
    api: Api, app: Any, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    car = api.car("passenger")
    driver = api.user("driver")
    _seed_waybills(database, car["id"], driver["id"], 3000)
    where: list[tuple[int, bool]] = []  # (rows answered, ran on the event loop's thread)
    answer = viewsets._open_and_finish

    def recording(*args: Any) -> bytes:
        on_loop = _on_the_loop()
        body = answer(*args)
        where.append((body.count(b'"number"'), on_loop))
        return body

    monkeypatch.setattr(viewsets, "_open_and_finish", recording)
    headers = {"Authorization": f"Bearer {api.token}"}
    done: list[float] = []

    def big_list(_: int) -> int:
        with httpx.Client(base_url=url, timeout=120, headers=headers) as client:
            response = client.get("/api/passenger-car-waybills/")
        done.append(time.monotonic())
        return response.status_code

    health: list[tuple[int, float]] = []
    with serve(app) as url, httpx.Client(base_url=url, timeout=120) as probe:
        with ThreadPoolExecutor(max_workers=10) as pool:
            lists = [pool.submit(big_list, n) for n in range(10)]
            while not done:
                started = time.monotonic()
                health.append((probe.get("/health").status_code, time.monotonic() - started))
            assert [future.result() for future in lists] == [200] * 10
        one = probe.get("/api/passenger-car-waybills/1/", headers=headers)
    assert one.status_code == 200
    single_row_on_loop = database.is_sqlite  # bounded reads stay on the loop on SQLite (docs/decisions.md)
    assert sorted(where) == [(1, single_row_on_loop)] + [(3000, False)] * 10
    # Generous on a loaded 2-core machine: the loop is free, but each probe still queues for the GIL.
    assert health
    assert {status for status, _ in health} == {200}
    assert max(seconds for _, seconds in health) < 10.0


def test_a_database_that_is_down_is_503_in_drf_envelope(
    settings: WaybillsSettings, down_database_url: str
) -> None:
    down = settings.model_copy(update={"database_url": down_database_url})
    client = TestClient(create_app(down), raise_server_exceptions=False)  # no lifespan: it would refuse
    response = client.post("/api/auth/login/", json={"login": ADMIN_LOGIN, "password": ADMIN_PASSWORD})
    assert (response.status_code, response.json()) == (503, {"detail": DATABASE_DOWN})
    assert response.headers["retry-after"] == "2"


def test_serving_without_a_database_fails_at_startup(
    settings: WaybillsSettings, down_database_url: str
) -> None:
    down = settings.model_copy(update={"database_url": down_database_url})
    refused = pytest.raises(RuntimeError, match=r"^waybills: the database does not answer \(")
    with refused, TestClient(create_app(down)):
        pass


def test_a_pool_that_stays_full_is_503_with_retry_after(
    settings: WaybillsSettings, database_url: str
) -> None:
    small = Database(database_url, capacity=CapacitySettings(pool_size=1, max_overflow=0, wait_seconds=0.3))
    try:
        api = Api(TestClient(create_app(settings, small), raise_server_exceptions=False))
        with small.engine.connect():  # the only connection, held
            listed = api.get("passenger-cars/")
            created = api.post("passenger-cars/", {"number": "А001АА54", "brand": "B", "model": "M"})
        for response in (listed, created):
            assert (response.status_code, response.json()) == (503, {"detail": DATABASE_BUSY})
            assert response.headers["retry-after"] == "2"
    finally:
        small.dispose()
