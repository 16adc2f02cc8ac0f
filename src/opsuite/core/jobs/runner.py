"""Runners: the in-process thread pool, the inline runner, and `run_job` that every engine calls."""

from __future__ import annotations

import json
import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.core.db import Database
from opsuite.core.jobs.heartbeat import Heartbeat
from opsuite.core.jobs.models import ACTIVE_STATES, JobMixin, JobState, affected
from opsuite.core.jobs.queue import JobQueue
from opsuite.core.jobs.registry import DEFAULT_RESULT_TTL, JobRevoked, TaskContext, TaskRegistry
from opsuite.core.jobs.settings import DEFAULT_HEARTBEAT_EVERY

log = logging.getLogger(__name__)


def run_job(
    database: Database,
    job_model: type[JobMixin],
    registry: TaskRegistry,
    job_id: str,
    *,
    clock: Clock = SYSTEM_CLOCK,
    heartbeat_every: timedelta = DEFAULT_HEARTBEAT_EVERY,
) -> JobState | None:
    """Run one job to its final state, beating every `heartbeat_every`; the single place a job executes."""
    job = job_model
    with database.session() as session:
        # The claim is a conditional UPDATE, so a duplicate submission (sweeper, broker redelivery) or a
        # revoked job never runs.
        now = clock.now()
        claimed = affected(
            session,
            update(job)
            .where(job.id == job_id, job.state == JobState.PENDING)
            .values(state=JobState.STARTED, started_at=now, heartbeat_at=now, attempts=job.attempts + 1),
        )
        if not claimed:
            log.info("job %s not run: missing, already taken or revoked", job_id)
            return None
        name, args, attempt, checkpoint = session.execute(
            select(job.name, job.args, job.attempts, job.checkpoint).where(job.id == job_id)
        ).one()
    ctx = TaskContext(
        job_id=job_id,
        name=name,
        attempt=attempt,
        database=database,
        job_model=job_model,
        checkpoint=checkpoint,
        clock=clock,
    )
    result_ttl = DEFAULT_RESULT_TTL
    try:
        task = registry.get(name)
        result_ttl = task.result_ttl
        with Heartbeat(database, job_model, job_id, attempt, every=heartbeat_every, clock=clock):
            result = task.fn(ctx, **args)
        json.dumps(result)  # fail here, as a task error, rather than at commit time
    except JobRevoked:
        log.info("job %s (%s) stopped after revoke", job_id, name)
        return _finish(database, job, job_id, attempt, clock, result_ttl, state=JobState.REVOKED)
    except Exception as exc:
        log.exception("job %s (%s) failed", job_id, name)
        error = _describe(exc)
        return _finish(database, job, job_id, attempt, clock, result_ttl, state=JobState.FAILURE, error=error)
    return _finish(database, job, job_id, attempt, clock, result_ttl, state=JobState.SUCCESS, result=result)


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _finish(
    database: Database,
    job: type[JobMixin],
    job_id: str,
    attempt: int,
    clock: Clock,
    result_ttl: timedelta,
    **values: Any,
) -> JobState | None:
    now = clock.now()
    with database.session() as session:
        # A revoke that landed while the task ran wins: the row stays REVOKED. A run that maintenance took
        # for lost (its attempt is no longer the row's) must not overwrite the newer attempt either.
        finished = affected(
            session,
            update(job)
            .where(job.id == job_id, job.state.in_(ACTIVE_STATES), job.attempts == attempt)
            .values(finished_at=now, expires_at=now + result_ttl, **values),
        )
        if finished:
            return JobState(values["state"])
        state = session.scalar(select(job.state).where(job.id == job_id))
    if state is JobState.REVOKED:
        return JobState.REVOKED
    log.warning("job %s attempt %d finished after it was taken for lost; result dropped", job_id, attempt)
    return None


class InProcessRunner:
    """Runs the jobs of `queue` on a thread pool in this process; the default engine."""

    def __init__(
        self,
        database: Database,
        queue: JobQueue[Any],
        registry: TaskRegistry,
        *,
        max_workers: int = 4,
        clock: Clock = SYSTEM_CLOCK,
        heartbeat_every: timedelta = DEFAULT_HEARTBEAT_EVERY,
    ) -> None:
        self.database = database
        self.queue = queue
        self.job_model = queue.job_model
        self.registry = registry
        self.max_workers = max_workers
        self.clock = clock
        self.heartbeat_every = heartbeat_every
        self._executor: ThreadPoolExecutor | None = None
        self._futures: set[Future[JobState | None]] = set()
        self._lock = threading.Lock()

    def start(self) -> None:
        """Create the pool and attach this runner to its queue."""
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(self.max_workers, thread_name_prefix="opsuite-job")
        self.queue.attach(self)

    def submit(self, job_id: str) -> None:
        """Queue the job on the pool."""
        with self._lock:
            if self._executor is None:
                raise RuntimeError("runner is not started")
            future = self._executor.submit(self._run, job_id)
            self._futures.add(future)
        future.add_done_callback(self._forget)

    def join(self, timeout: float | None = None) -> bool:
        """Wait until every submitted job has finished; False on timeout."""
        with self._lock:
            pending = set(self._futures)
        return not wait_futures(pending, timeout=timeout).not_done

    def shutdown(self, wait: bool = True) -> None:
        """Detach and stop the pool; without `wait`, queued jobs stay PENDING for the sweeper."""
        self.queue.detach(self)
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=wait, cancel_futures=not wait)

    def _run(self, job_id: str) -> JobState | None:
        try:
            return run_job(
                self.database,
                self.job_model,
                self.registry,
                job_id,
                clock=self.clock,
                heartbeat_every=self.heartbeat_every,
            )
        except Exception:
            # run_job records task errors itself; this is a database failure, and the pool must live on.
            log.exception("job %s could not be run", job_id)
            return None

    def _forget(self, future: Future[JobState | None]) -> None:
        with self._lock:
            self._futures.discard(future)


class InlineRunner:
    """Runs each job of `queue` synchronously at submit time: for tests and one-shot CLI commands."""

    def __init__(
        self,
        database: Database,
        queue: JobQueue[Any],
        registry: TaskRegistry,
        *,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.database = database
        self.queue = queue
        self.job_model = queue.job_model
        self.registry = registry
        self.clock = clock

    def start(self) -> None:
        """Attach this runner to its queue."""
        self.queue.attach(self)

    def submit(self, job_id: str) -> None:
        """Run the job now, in the caller's thread."""
        run_job(self.database, self.job_model, self.registry, job_id, clock=self.clock)

    def shutdown(self, wait: bool = True) -> None:
        """Detach this runner from its queue."""
        self.queue.detach(self)
