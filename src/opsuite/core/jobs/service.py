"""Job service: look up, revoke, purge expired results, resubmit stale jobs."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from opsuite.core.clock import utcnow
from opsuite.core.db import Database
from opsuite.core.jobs.models import UNFINISHED_STATES, JobMixin, JobState, affected
from opsuite.core.jobs.queue import JobRunner, submit
from opsuite.core.jobs.registry import DEFAULT_RESULT_TTL

J = TypeVar("J", bound=JobMixin)


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
    return [job_id for job_id in ids if submit(runner, job_id)]
