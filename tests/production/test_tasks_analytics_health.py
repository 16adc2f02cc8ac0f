"""Task status mapping, the cached dashboard, healthchecks, and races over a real socket."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from opsuite.core.db import Database
from opsuite.core.jobs import JobState
from opsuite.production.app import create_app
from opsuite.production.jobs import service as tasks_service
from opsuite.production.jobs.models import Job
from opsuite.production.settings import ProductionSettings
from tests.live import serve
from tests.production.helpers import Api


def _job(state: JobState, **values: Any) -> Job:
    return Job(id="j1", name="x", state=state, args={}, attempts=1, **{"progress_current": 0, **values})


@pytest.mark.parametrize(
    ("job", "expected"),
    [
        (_job(JobState.PENDING), {"status": "PENDING", "result": None}),
        (_job(JobState.STARTED), {"status": "PROGRESS", "result": {"current": 0, "total": 0, "percent": 0}}),
        (
            _job(JobState.PROGRESS, progress_current=50, progress_total=100),
            {"status": "PROGRESS", "result": {"current": 50, "total": 100, "percent": 50}},
        ),
        (
            _job(JobState.PROGRESS, progress_current=2, progress_total=3),
            {"status": "PROGRESS", "result": {"current": 2, "total": 3, "percent": 66}},
        ),
        (_job(JobState.SUCCESS, result={"file_id": "f"}), {"status": "SUCCESS", "result": {"file_id": "f"}}),
        (
            _job(JobState.FAILURE, error="InvalidState: Нельзя агрегировать закрытую партию"),
            {"status": "FAILURE", "result": {"error": "Нельзя агрегировать закрытую партию"}},
        ),
        (
            _job(JobState.FAILURE, error="ValueError: broken"),
            {"status": "FAILURE", "result": {"error": "ValueError: broken"}},
        ),
        (_job(JobState.REVOKED), {"status": "FAILURE", "result": {"error": "Задача отменена"}}),
    ],
)
def test_job_states_in_the_documents_words(job: Job, expected: dict[str, Any]) -> None:
    assert tasks_service.describe(job) == expected


def test_dashboard_is_computed_when_cold_then_served_from_cache(api: Api) -> None:
    first = api.batch()
    api.batch(batch_number=2)
    api.add_product(first["uuid"], "A")
    api.add_product(first["uuid"], "B")
    api.add_product(first["uuid"], "C")
    product = api.call("GET", "/api/products?sort_field=unique_code&sort_direction=asc", 200)["items"][0]
    api.call("PATCH", f"/api/products/{product['uuid']}/aggregate", 200)
    api.call("PATCH", f"/api/batches/{first['uuid']}/close", 200)
    cold = api.call("GET", "/api/analytics/dashboard", 200)
    assert cold == {
        "total_batches": 2,
        "active_batches": 1,
        "total_products": 3,
        "aggregated_products": 1,
        "aggregation_rate": 33.33,
        "cached_at": "2025-01-15T10:30:00Z",
    }
    api.batch(batch_number=3)
    api.client.app.state.runtime.clock.advance(minutes=4)  # type: ignore[attr-defined]
    assert api.call("GET", "/api/analytics/dashboard", 200) == cold
    # The periodic refresh (what the scheduler fires every 5 minutes) updates the cache.
    registry = api.client.app.state.registry  # type: ignore[attr-defined]
    assert [(p.name, p.every) for p in registry.periodic_tasks if p.name.startswith("analytics")] == [
        ("analytics.refresh_dashboard", dt.timedelta(minutes=5))
    ]
    api.client.app.state.scheduler.run_pending()  # type: ignore[attr-defined]
    api.wait_jobs()
    fresh = api.call("GET", "/api/analytics/dashboard", 200)
    assert (fresh["total_batches"], fresh["active_batches"], fresh["cached_at"]) == (
        3,
        2,
        "2025-01-15T10:34:00Z",
    )


def test_empty_dashboard_rate_is_zero(api: Api) -> None:
    assert api.call("GET", "/api/analytics/dashboard", 200)["aggregation_rate"] == 0.0


def test_healthchecks(api: Api) -> None:
    assert api.call("GET", "/api/healthcheck/service", 200) == {"status": "ok"}
    assert api.call("GET", "/api/healthcheck/database", 200) == {"status": "ok"}
    broken = Database("postgresql+psycopg://postgres@127.0.0.1:9/nothing")  # port 9: nobody listens
    app = create_app(ProductionSettings(database_url=broken.url, scheduler_enabled=False), broken)
    from fastapi.testclient import TestClient

    # No lifespan: a server does not start without its database (test_production_capacity.py); this is one
    # whose database went away after it started.
    response = TestClient(app).get("/api/healthcheck/database")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "error"
    assert body["message"].startswith("OperationalError: (psycopg.OperationalError) connection failed")


def _race(url: str, calls: list[tuple[str, str, Any]]) -> list[httpx.Response]:
    def send(call: tuple[str, str, Any]) -> httpx.Response:
        method, path, body = call
        with httpx.Client(base_url=url, timeout=60) as client:
            return client.request(method, path, json=body)

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(send, calls))


def test_races_close_twice_add_one_code_twice_create_one_batch_twice(api: Api, app: Any) -> None:
    batch = api.batch()
    center = batch["work_center_id"]
    with serve(app) as url:
        codes = _race(url, [("POST", f"/api/batches/{batch['uuid']}/products", {"unique_code": "SAME"})] * 6)
        assert sorted(r.status_code for r in codes) == [200, 409, 409, 409, 409, 409]
        closes = _race(url, [("PATCH", f"/api/batches/{batch['uuid']}/close", None)] * 6)
        assert sorted(r.status_code for r in closes) == [200, 409, 409, 409, 409, 409]
        body = {
            **{k: v for k, v in batch.items() if k in ("task_description", "shift", "team", "nomenclature")}
        }
        body.update(
            batch_number=5,
            batch_date="2025-02-01",
            ekn_code="E",
            shift_start="2025-02-01T08:00:00Z",
            shift_end="2025-02-01T20:00:00Z",
            work_center_id=center,
        )
        creates = _race(url, [("POST", "/api/batches", body)] * 6)
        assert sorted(r.status_code for r in creates) == [201, 409, 409, 409, 409, 409]
        assert {r.json()["detail"] for r in creates if r.status_code == 409} == {
            "Партия с номером 5 и датой 2025-02-01 уже существует"
        }
    assert api.call("GET", "/api/products", 200)["total"] == 1
