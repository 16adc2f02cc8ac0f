"""Keeping the jobs table honest: purge expired results, resubmit stale PENDING jobs, reap lost runs.

A run is lost when its heartbeat falls silent for `lost_after` (its process died) or it outlives its
task's timeout; a non-idempotent task's lost run fails for good instead of running again.

One implementation for both engines: the in-process `PeriodicScheduler` calls it under a database lease,
and Celery beat sends a maintenance task that calls it on a worker under the same lease.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from opsuite.core.db import Database
from opsuite.core.jobs.leases import acquire_lease
from opsuite.core.jobs.models import ACTIVE_STATES, JobMixin, JobState, LeaseMixin, affected
from opsuite.core.jobs.queue import JobRunner, submit
from opsuite.core.jobs.registry import (
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_RESULT_TTL,
    DEFAULT_TIMEOUT,
    LostHook,
    TaskRegistry,
)
from opsuite.core.jobs.service import purge_expired, resubmit_stale
from opsuite.core.jobs.settings import DEFAULT_LOST_AFTER

log = logging.getLogger(__name__)

MAINTENANCE_LEASE = "jobs:maintenance"
DEFAULT_STALE_AFTER = timedelta(minutes=10)
WORKER_LOST = "worker lost"


@dataclass(frozen=True)
class Reaped:
    """What `reap_lost` did: jobs handed back to PENDING (and resubmitted), jobs failed as lost."""

    retried: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MaintenanceReport:
    """What one maintenance pass did."""

    purged: int = 0
    resubmitted: list[str] = field(default_factory=list)
    reaped: Reaped = field(default_factory=Reaped)


def reap_lost(
    database: Database,
    job_model: type[JobMixin],
    registry: TaskRegistry,
    *,
    now: datetime,
    runner: JobRunner | None = None,
    lost_after: timedelta = DEFAULT_LOST_AFTER,
) -> Reaped:
    """Take unfinished runs for lost when their heartbeat is older than `lost_after` or they outran their
    task's `timeout`; run the job again, or fail it as "worker lost" once it has had `max_attempts` runs or
    when its task is not idempotent. The task's `on_lost` hook tidies up after each lost run."""
    job = job_model
    with database.session(write=False) as session:
        rows = session.execute(
            select(job.id, job.name, job.args, job.started_at, job.heartbeat_at, job.attempts)
            .where(job.state.in_(ACTIVE_STATES), job.started_at.is_not(None))
            .order_by(job.started_at)
        ).all()
    retried: list[str] = []
    failed: list[str] = []
    for job_id, name, args, started_at, heartbeat_at, attempts in rows:
        task = registry.get(name) if name in registry else None
        timeout = task.timeout if task else DEFAULT_TIMEOUT
        if started_at is None:
            continue
        # Rows without a heartbeat were claimed before heartbeats existed: only the timeout judges them.
        silent = heartbeat_at is not None and heartbeat_at + lost_after <= now
        if not silent and started_at + timeout > now:
            continue
        max_attempts = task.max_attempts if task else DEFAULT_MAX_ATTEMPTS
        idempotent = task.idempotent if task else True
        give_up = attempts >= max_attempts or not idempotent
        if give_up:
            result_ttl = task.result_ttl if task else DEFAULT_RESULT_TTL
            values: dict[str, Any] = {
                "state": JobState.FAILURE,
                "error": WORKER_LOST,
                "finished_at": now,
                "expires_at": now + result_ttl,
            }
        else:
            values = {
                "state": JobState.PENDING,
                "started_at": None,
                "heartbeat_at": None,
                "progress_current": 0,
                "progress_total": None,
            }
        with database.session() as session:
            # Guarded by the attempt seen: a run that finished, or a new claim, since the read wins.
            changed = affected(
                session,
                update(job)
                .where(job.id == job_id, job.state.in_(ACTIVE_STATES), job.attempts == attempts)
                .values(**values)
                .execution_options(synchronize_session=False),
            )
        if not changed:
            continue
        (failed if give_up else retried).append(job_id)
        if silent:
            log.warning(
                "job %s (%s) attempt %d silent since %s (no heartbeat for %s): %s",
                job_id,
                name,
                attempts,
                heartbeat_at,
                lost_after,
                "failed as worker lost" if give_up else "run again",
            )
        else:
            log.warning(
                "job %s (%s) attempt %d still unfinished %s after it started: %s",
                job_id,
                name,
                attempts,
                timeout,
                "failed as worker lost" if give_up else "run again",
            )
        if task is not None and task.on_lost is not None:
            _tidy_up(task.on_lost, job_id, args)
    for job_id in retried:
        submit(runner, job_id)
    return Reaped(retried=retried, failed=failed)


def _tidy_up(hook: LostHook, job_id: str, args: dict[str, Any]) -> None:
    try:
        hook(job_id, dict(args or {}))
    except Exception:
        # Leftovers are also swept by age elsewhere; a failing hook must not stop the pass.
        log.exception("cleanup after lost job %s failed", job_id)


def maintain(
    database: Database,
    job_model: type[JobMixin],
    registry: TaskRegistry,
    *,
    now: datetime,
    stale_after: timedelta = DEFAULT_STALE_AFTER,
    runner: JobRunner | None = None,
    lost_after: timedelta = DEFAULT_LOST_AFTER,
) -> MaintenanceReport:
    """One maintenance pass: purge expired results, resubmit stale PENDING jobs, reap lost runs."""
    with database.session() as session:
        purged = purge_expired(session, job_model, now=now)
    # Stale PENDING first: jobs the reaper hands back are submitted by the reaper itself.
    resubmitted = resubmit_stale(database, job_model, older_than=stale_after, runner=runner, now=now)
    reaped = reap_lost(database, job_model, registry, now=now, runner=runner, lost_after=lost_after)
    if purged or resubmitted or reaped.retried or reaped.failed:
        log.info(
            "jobs maintenance: %d purged, %d resubmitted, %d lost runs retried, %d failed as lost",
            purged,
            len(resubmitted),
            len(reaped.retried),
            len(reaped.failed),
        )
    return MaintenanceReport(purged=purged, resubmitted=resubmitted, reaped=reaped)


def maintain_under_lease(
    database: Database,
    job_model: type[JobMixin],
    lease_model: type[LeaseMixin],
    registry: TaskRegistry,
    *,
    holder: str,
    ttl: timedelta,
    now: datetime,
    stale_after: timedelta = DEFAULT_STALE_AFTER,
    runner: JobRunner | None = None,
    lost_after: timedelta = DEFAULT_LOST_AFTER,
) -> MaintenanceReport | None:
    """`maintain` at most once per `ttl` across every process of the system; None when another had it."""
    with database.session() as session:
        if not acquire_lease(session, lease_model, MAINTENANCE_LEASE, holder=holder, ttl=ttl, now=now):
            return None
    return maintain(
        database,
        job_model,
        registry,
        now=now,
        stale_after=stale_after,
        runner=runner,
        lost_after=lost_after,
    )
