"""Auto-update: per-device schedules under a controllable clock, the leased tick, and the run itself."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.clock import FakeClock
from tests.scales.helpers import Api, Scales

from opsuite.scales.autoupdate import service as autoupdate_service
from opsuite.scales.autoupdate.timing import next_run
from opsuite.scales.devices.interface import ScaleTimeoutError
from opsuite.scales.devices.sample_products import generate_product_file
from opsuite.scales.fleet.lock import device_lock

DEFAULT = {
    "enabled": False,
    "interval_minutes": 1440,
    "run_at": None,
    "next_run_utc": None,
    "last_run_utc": None,
    "last_status": None,
    "last_error": None,
}


def _fire(app: Any) -> list[str]:
    """One scheduler pass, then every job it caused, to completion."""
    fired: list[str] = app.state.scheduler.run_pending()
    assert app.state.runner.join(10)
    # The tick enqueues run jobs after its own commit; wait for those too.
    assert app.state.runner.join(10)
    return fired


def test_new_device_has_a_disabled_default_schedule(alice: Api) -> None:
    alice.add_device()
    response = alice.get("/devices/1/auto-update")
    assert response.status_code == 200
    assert response.json() == DEFAULT


def test_put_changes_only_that_devices_schedule(alice: Api, clock: FakeClock) -> None:
    alice.add_device()
    alice.add_device(name="B", port=2222)
    a = alice.put("/devices/1/auto-update", json={"enabled": True, "interval_minutes": 60})
    assert a.status_code == 200
    assert a.json() == {
        **DEFAULT,
        "enabled": True,
        "interval_minutes": 60,
        "next_run_utc": "2026-03-10T10:00:00Z",
    }
    b = alice.put(
        "/devices/2/auto-update", json={"enabled": True, "interval_minutes": 30, "last_status": "x"}
    )
    assert b.json()["next_run_utc"] == "2026-03-10T09:30:00Z"
    clock.advance(minutes=10)
    # The client PUTs on every keystroke: an unchanged value must not restart the countdown.
    assert (
        alice.put("/devices/1/auto-update", json={"enabled": True, "interval_minutes": 60}).json()[
            "next_run_utc"
        ]
        == "2026-03-10T10:00:00Z"
    )
    assert (
        alice.put("/devices/1/auto-update", json={"enabled": True, "interval_minutes": 90}).json()[
            "next_run_utc"
        ]
        == "2026-03-10T10:40:00Z"
    )
    assert alice.get("/devices/2/auto-update").json()["next_run_utc"] == "2026-03-10T09:30:00Z"
    off = alice.put("/devices/1/auto-update", json={"enabled": False, "interval_minutes": 90})
    assert off.json()["next_run_utc"] is None
    assert alice.get("/devices/2/auto-update").json()["next_run_utc"] == "2026-03-10T09:30:00Z"


def test_put_validates_interval_and_run_at(alice: Api) -> None:
    alice.add_device()
    for body, field in (
        ({"enabled": True, "interval_minutes": 0}, "interval_minutes"),
        ({"enabled": True, "interval_minutes": 5, "run_at": "25:00"}, "run_at"),
        ({"enabled": True, "interval_minutes": 5, "run_at": "7:00"}, "run_at"),
        ({"enabled": None, "interval_minutes": 5}, "enabled"),
    ):
        response = alice.put("/devices/1/auto-update", json=body)
        assert response.status_code == 422, body
        assert [e["loc"] for e in response.json()["detail"]] == [["body", field]]


def test_daily_run_at_is_in_the_store_time_zone(alice: Api) -> None:
    alice.add_device()
    # 09:00 UTC is 12:00 in Moscow, so 00:05 Moscow is tomorrow at 21:05 UTC today.
    response = alice.put(
        "/devices/1/auto-update", json={"enabled": True, "interval_minutes": 60, "run_at": "00:05"}
    )
    assert response.json()["run_at"] == "00:05"
    assert response.json()["next_run_utc"] == "2026-03-10T21:05:00Z"


def test_next_run_across_a_dst_change() -> None:
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")
    now = dt.datetime(2026, 3, 28, 12, 0, tzinfo=dt.UTC)
    assert next_run(now, interval_minutes=1, run_at="03:30", zone=berlin) == dt.datetime(
        2026, 3, 29, 1, 30, tzinfo=dt.UTC
    )


def test_due_device_is_refreshed_dated_in_store_zone_and_pushed(
    app: Any, alice: Api, scales: Scales, clock: FakeClock
) -> None:
    scales[1111].products = generate_product_file(3, seed=1, packed_on=dt.date(2026, 1, 1))
    scales[2222].products = generate_product_file(1)
    alice.add_device()
    alice.add_device(name="B", port=2222)
    clock.set(dt.datetime(2026, 3, 10, 21, 0, tzinfo=dt.UTC))
    alice.put("/devices/1/auto-update", json={"enabled": True, "interval_minutes": 60})
    alice.put("/devices/2/auto-update", json={"enabled": True, "interval_minutes": 120})
    clock.advance(minutes=59)
    _fire(app)
    assert scales[1111].calls == []
    clock.advance(minutes=1)  # 22:00 UTC = 01:00 on the 11th in Moscow
    _fire(app)
    assert scales[1111].calls == ["fetch_products", "push_products"]
    assert scales[2222].calls == []
    pushed = scales[1111].pushes[0].data["products"]
    shelf = [p["shelfLife"] for p in pushed]
    assert [p["manufactureDate"] for p in pushed] == ["11-03-26"] * 3
    assert [p["sellByDate"] for p in pushed] == [
        (dt.date(2026, 3, 11) + dt.timedelta(days=days)).strftime("%d-%m-%y") for days in shelf
    ]
    assert alice.get("/devices/1/auto-update").json() == {
        **DEFAULT,
        "enabled": True,
        "interval_minutes": 60,
        "next_run_utc": "2026-03-10T23:00:00Z",
        "last_run_utc": "2026-03-10T22:00:00Z",
        "last_status": "OK",
    }
    assert alice.get("/devices/2/auto-update").json()["last_run_utc"] is None
    assert alice.get("/devices/1").json()["cached_dirty"] is False
    assert alice.get("/devices/1/log").json()[0]["operation"] == "auto-update"


def test_tick_fires_once_even_with_two_schedulers(app: Any, alice: Api, clock: FakeClock) -> None:
    from opsuite.core.jobs import PeriodicScheduler
    from opsuite.scales.jobs.models import Lease

    alice.add_device()
    alice.put("/devices/1/auto-update", json={"enabled": True, "interval_minutes": 1})
    clock.advance(minutes=1)
    runtime = app.state.runtime
    other = PeriodicScheduler(
        runtime.database, runtime.jobs, Lease, app.state.scheduler.registry, clock=clock
    )
    assert len(app.state.scheduler.run_pending()) == 1
    assert other.run_pending() == []
    assert app.state.runner.join(10)
    assert app.state.runner.join(10)
    assert alice.get("/devices/1/auto-update").json()["last_status"] == "OK"


def test_unsent_edits_are_redated_locally_and_pushed(
    alice: Api, scales: Scales, app: Any, clock: FakeClock
) -> None:
    scales[1111].products = generate_product_file(2)
    alice.add_device()
    alice.get("/devices/1/products")
    alice.patch("/devices/1/products/1", json={"fields": {"price": 7.5, "shelfLife": 3}})
    alice.put("/devices/1/auto-update", json={"enabled": True, "interval_minutes": 5})
    clock.advance(minutes=5)
    _fire(app)
    assert scales[1111].calls == ["fetch_products", "push_products"]  # no second fetch
    product = scales[1111].pushes[0].data["products"][0]
    assert (product["price"], product["manufactureDate"], product["sellByDate"]) == (
        7.5,
        "10-03-26",
        "13-03-26",
    )
    assert alice.get("/devices/1/auto-update").json()["last_status"] == "OK_PUSHED_EDITS"
    assert alice.get("/devices/1").json()["cached_dirty"] is False


def test_failed_push_records_error_and_leaves_cache_dirty(
    alice: Api, scales: Scales, app: Any, clock: FakeClock
) -> None:
    scales[1111].products = generate_product_file(2)
    alice.add_device()
    alice.put("/devices/1/auto-update", json={"enabled": True, "interval_minutes": 5})
    scales[1111].fail_next(ScaleTimeoutError("late"), operation="push_products")
    clock.advance(minutes=5)
    _fire(app)
    body = alice.get("/devices/1/auto-update").json()
    assert (body["last_run_utc"], body["last_status"], body["last_error"]) == (
        "2026-03-10T09:05:00Z",
        "ERROR",
        "Весы 127.0.0.1:1111 не ответили вовремя",
    )
    assert alice.get("/devices/1").json()["cached_dirty"] is True


def test_busy_device_is_skipped_and_recorded(alice: Api, app: Any, clock: FakeClock) -> None:
    alice.add_device()
    alice.put("/devices/1/auto-update", json={"enabled": True, "interval_minutes": 5})
    clock.advance(minutes=5)
    with device_lock(app.state.runtime, 1):
        assert autoupdate_service.run(app.state.runtime, device_id=1) == "SKIPPED_BUSY"
    body = alice.get("/devices/1/auto-update").json()
    assert (body["last_status"], body["last_error"]) == (
        "SKIPPED_BUSY",
        "Устройство занято другой операцией, повторите позже",
    )


def test_deleted_or_disabled_device_does_not_run(alice: Api, scales: Scales, app: Any) -> None:
    alice.add_device()
    assert autoupdate_service.run(app.state.runtime, device_id=1) == "SKIPPED"
    assert autoupdate_service.run(app.state.runtime, device_id=99) == "SKIPPED"
    assert scales[1111].calls == []
