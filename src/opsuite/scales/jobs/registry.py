"""The scales task registry: the auto-update tick, one device's auto-update, and bulk uploads."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from opsuite.core.jobs import JobSetup, TaskContext, TaskRegistry
from opsuite.scales.autoupdate import service as autoupdate_service
from opsuite.scales.jobs import bulk
from opsuite.scales.jobs.models import Lease
from opsuite.scales.runtime import Runtime, worker_runtime
from opsuite.scales.settings import ScalesSettings

TICK_TASK = "scales.autoupdate.tick"


def build_registry(runtime: Runtime) -> TaskRegistry:
    """Tasks bound to one running system (its database, driver factory and clock)."""
    registry = TaskRegistry()
    every = timedelta(seconds=runtime.settings.scheduler_tick_seconds)

    @registry.periodic(TICK_TASK, every=every, result_ttl=timedelta(minutes=10))
    def tick(_ctx: TaskContext) -> dict[str, Any]:
        with runtime.database.session() as session:
            claimed = autoupdate_service.claim_due(
                session, jobs=runtime.jobs, now=runtime.clock.now(), zone=runtime.zone
            )
        return {"devices": claimed}

    @registry.task(autoupdate_service.RUN_TASK)
    def run_one(_ctx: TaskContext, device_id: int) -> dict[str, Any]:
        return {"device_id": device_id, "status": autoupdate_service.run(runtime, device_id=device_id)}

    @registry.task(bulk.TASK)
    def bulk_upload(_ctx: TaskContext, user_id: int, device_ids: list[int]) -> dict[str, Any]:
        del user_id  # ownership was checked when the job was created; kept in args for GET /jobs/{id}
        return bulk.run(runtime, device_ids)

    return registry


def job_setup(runtime: Runtime) -> JobSetup:
    """The scales job machinery on one runtime: for the app's runner and for Celery workers and beat."""
    return JobSetup.of(runtime, "scales", Lease, build_registry(runtime))


def worker_setup(config: ScalesSettings) -> JobSetup:
    """The job machinery of a Celery worker or beat process (`opsuite worker scales`)."""
    return job_setup(worker_runtime(config))
