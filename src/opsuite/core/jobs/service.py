"""Job service: enqueue after commit, look up, revoke, purge expired results, resubmit stale jobs."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from opsuite.core.aftercommit import AfterCommit
from opsuite.core.clock import utcnow
from opsuite.core.db import Database
from opsuite.core.jobs.models import UNFINISHED_STATES, JobMixin, JobState, affected, new_job_id
from opsuite.core.jobs.registry import DEFAULT_RESULT_TTL
from opsuite.core.jobs.runner import JobRunner, bound_runner

log = logging.getLogger(__name__)

J = TypeVar("J", bound=JobMixin)


def _submit_all(jobs: list[tuple[type[JobMixin], str]]) -> None:
    for job_model, job_id in jobs:
        submit(job_model, job_id)


_to_submit: AfterCommit[tuple[type[JobMixin], str]] = AfterCommit("opsuite.jobs.to_submit", _submit_all)


def enqueue(session: Session, job_model: type[J], name: str, /, **kwargs: Any) -> J:
    """Add a PENDING job in the caller's transaction; it is submitted only once that transaction commits."""
    return enqueue_args(session, job_model, name, kwargs)


def enqueue_args(
    session: Session, job_model: type[J], name: str, args: dict[str, Any], *, now: datetime | None = None
) -> J:
    """`enqueue` with the arguments as a dict and an explicit creation time."""
    job = job_model()
    job.id = new_job_id()
    job.name = name
    job.state = JobState.PENDING
    job.args = dict(args)
    job.progress_current = 0
    job.attempts = 0
    job.created_at = now or utcnow()
    session.add(job)
    _to_submit.add(session, (job_model, job.id))
    return job


def submit(job_model: type[JobMixin], job_id: str, runner: JobRunner | None = None) -> bool:
    """Hand a committed job to `runner` or the bound one; False leaves it PENDING for the sweeper."""
    runner = runner or bound_runner(job_model)
    if runner is None:
        log.debug("no runner bound for %s; job %s stays PENDING", job_model.__name__, job_id)
        return False
    try:
        runner.submit(job_id)
    except Exception:
        # The job row is committed already; the sweeper will submit it again.
        log.exception("could not submit job %s", job_id)
        return False
    return True


def get_job(session: Session, job_model: type[J], job_id: str) -> J | None:
    """The job with that id, or None."""
    return session.get(job_model, job_id)


def revoke(
    session: Session,
    job_model: type[JobMixin],
    job_id: str,
    *,
    now: datetime | None = None,
    result_ttl: timedelta = DEFAULT_RESULT_TTL,
) -> bool:
    """Mark an unfinished job REVOKED: a pending one never runs, a running one stops at its next progress."""
    now = now or utcnow()
    job = job_model
    changed = affected(
        session,
        update(job)
        .where(job.id == job_id, job.state.in_(UNFINISHED_STATES))
        .values(state=JobState.REVOKED, finished_at=now, expires_at=now + result_ttl)
        .execution_options(synchronize_session="fetch"),
    )
    return bool(changed)


def purge_expired(session: Session, job_model: type[JobMixin], *, now: datetime | None = None) -> int:
    """Delete finished jobs whose result retention has passed; returns how many."""
    job = job_model
    return affected(
        session,
        delete(job)
        .where(job.expires_at.is_not(None), job.expires_at <= (now or utcnow()))
        .execution_options(synchronize_session=False),
    )


def resubmit_stale(
    database: Database,
    job_model: type[JobMixin],
    *,
    older_than: timedelta,
    runner: JobRunner | None = None,
    now: datetime | None = None,
) -> list[str]:
    """Submit again the PENDING jobs created before `now - older_than` (left behind by a crash)."""
    cutoff = (now or utcnow()) - older_than
    job = job_model
    with database.session(write=False) as session:
        ids = list(
            session.scalars(
                select(job.id)
                .where(job.state == JobState.PENDING, job.created_at <= cutoff)
                .order_by(job.created_at)
            )
        )
    return [job_id for job_id in ids if submit(job_model, job_id, runner)]
