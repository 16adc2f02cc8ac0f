"""A system's job queue: its jobs table, and the runner its committed jobs are handed to."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy.orm import Session

from opsuite.core.aftercommit import AfterCommit
from opsuite.core.clock import utcnow
from opsuite.core.jobs.models import JobMixin, JobState, new_job_id

log = logging.getLogger(__name__)

J = TypeVar("J", bound=JobMixin)


class JobRunner(Protocol):
    """An engine that runs jobs by id; the job row carries everything else."""

    def submit(self, job_id: str) -> None:
        """Schedule the job to run; must not block on the job itself."""

    def start(self) -> None:
        """Start the engine and attach it to the queue it serves."""

    def shutdown(self, wait: bool = True) -> None:
        """Stop accepting jobs and detach; with `wait`, let the running ones finish."""


def submit(runner: JobRunner | None, job_id: str) -> bool:
    """Hand a committed job to `runner`; False (no runner, or it failed) leaves it PENDING for the sweeper."""
    if runner is None:
        log.debug("no runner; job %s stays PENDING", job_id)
        return False
    try:
        runner.submit(job_id)
    except Exception:
        # The job row is committed already; the sweeper will submit it again.
        log.exception("could not submit job %s", job_id)
        return False
    return True


class JobQueue(Generic[J]):
    """Jobs of one `job_model`, submitted once their transaction commits to the runner attached (if any).

    With no runner attached a committed job stays PENDING until the sweeper of a process that has one.
    """

    def __init__(self, job_model: type[J]) -> None:
        self.job_model = job_model
        self._runner: JobRunner | None = None
        self._lock = threading.Lock()

    @property
    def runner(self) -> JobRunner | None:
        """The runner committed jobs go to, if one is attached."""
        with self._lock:
            return self._runner

    def attach(self, runner: JobRunner) -> None:
        """Send committed jobs to `runner` from now on (a runner's `start` calls this)."""
        with self._lock:
            self._runner = runner

    def detach(self, runner: JobRunner) -> None:
        """Stop sending to `runner`, if it is still the attached one (a runner's `shutdown` calls this)."""
        with self._lock:
            if self._runner is runner:
                self._runner = None

    def enqueue(self, session: Session, name: str, /, **kwargs: Any) -> J:
        """Add a PENDING job in the caller's transaction; it is submitted once that transaction commits."""
        return self.enqueue_args(session, name, kwargs)

    def enqueue_args(
        self, session: Session, name: str, args: Mapping[str, Any], *, now: datetime | None = None
    ) -> J:
        """`enqueue` with the arguments as a mapping and an explicit creation time."""
        job = self.job_model()
        job.id = new_job_id()
        job.name = name
        job.state = JobState.PENDING
        job.args = dict(args)
        job.progress_current = 0
        job.attempts = 0
        job.created_at = now or utcnow()
        session.add(job)
        _to_submit.add(session, (self, job.id))
        return job

    def submit(self, job_id: str) -> bool:
        """Hand a committed job to the attached runner; False leaves it PENDING for the sweeper."""
        return submit(self.runner, job_id)

    def call(self, name: str, kwargs: Mapping[str, Any], countdown: float | None = None) -> None:
        """Send the worker function `name(**kwargs)` through the attached runner (a Celery runner only)."""
        call = getattr(self.runner, "call", None)
        if call is None:
            raise RuntimeError(f"no runner able to call worker functions serves {self.job_model.__name__}")
        call(name, kwargs, countdown=countdown)


def _submit_all(jobs: list[tuple[JobQueue[Any], str]]) -> None:
    for queue, job_id in jobs:
        queue.submit(job_id)


_to_submit: AfterCommit[tuple[JobQueue[Any], str]] = AfterCommit("opsuite.jobs.to_submit", _submit_all)
