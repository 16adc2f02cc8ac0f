"""Keeping the jobs table honest: purge expired results, resubmit stale PENDING jobs, reap lost runs.

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
from opsuite.core.jobs.registry import DEFAULT_MAX_ATTEMPTS, DEFAULT_RESULT_TTL, DEFAULT_TIMEOUT, TaskRegistry
from opsuite.core.jobs.runner import JobRunner
from opsuite.core.jobs.service import purge_expired, resubmit_stale, submit

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
) -> Reaped:
    """Runs unfinished `timeout` after they started lost their process: run the job again, or fail it
    with "worker lost" once it has had `max_attempts` runs."""
    job = job_model
    with database.session(write=False) as session:
        rows = session.execute(
            select(job.id, job.name, job.started_at, job.attempts)
            .where(job.state.in_(ACTIVE_STATES), job.started_at.is_not(None))
            .order_by(job.started_at)
        ).all()
    retried: list[str] = []
    failed: list[str] = []
    for job_id, name, started_at, attempts in rows:
        task = registry.get(name) if name in registry else None
        timeout = task.timeout if task else DEFAULT_TIMEOUT
        if started_at is None or started_at + timeout > now:
            continue
        max_attempts = task.max_attempts if task else DEFAULT_MAX_ATTEMPTS
        give_up = attempts >= max_attempts
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
        log.warning(
            "job %s (%s) attempt %d still unfinished %s after it started: %s",
            job_id,
            name,
            attempts,
            timeout,
            "failed as worker lost" if give_up else "run again",
        )
    for job_id in retried:
        submit(job_model, job_id, runner)
    return Reaped(retried=retried, failed=failed)


def maintain(
    database: Database,
    job_model: type[JobMixin],
    registry: TaskRegistry,
    *,
    now: datetime,
    stale_after: timedelta = DEFAULT_STALE_AFTER,
    runner: JobRunner | None = None,
) -> MaintenanceReport:
    """One maintenance pass: purge expired results, resubmit stale PENDING jobs, reap lost runs."""
    with database.session() as session:
        purged = purge_expired(session, job_model, now=now)
    # Stale PENDING first: jobs the reaper hands back are submitted by the reaper itself.
    resubmitted = resubmit_stale(database, job_model, older_than=stale_after, runner=runner, now=now)
    reaped = reap_lost(database, job_model, registry, now=now, runner=runner)
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
) -> MaintenanceReport | None:
    """`maintain` at most once per `ttl` across every process of the system; None when another had it."""
    with database.session() as session:
        if not acquire_lease(session, lease_model, MAINTENANCE_LEASE, holder=holder, ttl=ttl, now=now):
            return None
    return maintain(database, job_model, registry, now=now, stale_after=stale_after, runner=runner)
