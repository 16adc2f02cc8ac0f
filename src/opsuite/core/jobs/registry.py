"""Task registry: plain functions identified by name, some of them periodic, and their run context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy import update
from sqlalchemy.orm import Session

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.core.db import Database
from opsuite.core.jobs.models import ACTIVE_STATES, JobMixin, JobState, affected

DEFAULT_RESULT_TTL = timedelta(hours=24)
# How long one run may take before maintenance takes its worker for lost, and how many runs a job gets.
DEFAULT_TIMEOUT = timedelta(hours=1)
DEFAULT_MAX_ATTEMPTS = 3

TaskFunction = Callable[..., Any]
LostHook = Callable[[str, dict[str, Any]], None]
F = TypeVar("F", bound=TaskFunction)


class UnknownTaskError(LookupError):
    """No task of that name is registered."""


class JobRevoked(Exception):
    """Raised inside a task when its job was revoked while running; the runner stops quietly."""


@dataclass(frozen=True)
class Task:
    """A registered task: `fn(ctx, **args)` returns a JSON-able result.

    A run still unfinished `timeout` after it started is taken for lost (its process died) and the job is
    run again, up to `max_attempts` runs in all; so `timeout` must exceed the longest legitimate run. A run
    whose heartbeat stops is taken for lost sooner. A task that is not `idempotent` is never run again on
    its own: its lost run fails the job as "worker lost". `on_lost(job_id, args)` tidies up after a lost
    run (temporary files), whether the job is run again or failed.
    """

    name: str
    fn: TaskFunction
    result_ttl: timedelta = DEFAULT_RESULT_TTL
    timeout: timedelta = DEFAULT_TIMEOUT
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    idempotent: bool = True
    on_lost: LostHook | None = None


@dataclass(frozen=True)
class PeriodicTask:
    """A task fired once per `every` across all processes sharing the database."""

    name: str
    every: timedelta
    kwargs: dict[str, Any] = field(default_factory=dict)


class TaskRegistry:
    """The tasks of one system, written once and run by any runner."""

    def __init__(self) -> None:
        self._tasks: dict[str, Task] = {}
        self._periodic: dict[str, PeriodicTask] = {}

    def task(
        self,
        name: str,
        *,
        result_ttl: timedelta = DEFAULT_RESULT_TTL,
        timeout: timedelta = DEFAULT_TIMEOUT,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        idempotent: bool = True,
        on_lost: LostHook | None = None,
    ) -> Callable[[F], F]:
        """Register `fn(ctx, **kwargs)` under `name`; the result is kept `result_ttl` after it finishes."""
        if timeout <= timedelta(0) or max_attempts < 1:
            raise ValueError("a task needs a positive timeout and at least one attempt")

        def register(fn: F) -> F:
            if name in self._tasks:
                raise ValueError(f"task {name!r} is already registered")
            self._tasks[name] = Task(name, fn, result_ttl, timeout, max_attempts, idempotent, on_lost)
            return fn

        return register

    def periodic(
        self,
        name: str,
        *,
        every: timedelta,
        kwargs: dict[str, Any] | None = None,
        result_ttl: timedelta = DEFAULT_RESULT_TTL,
        timeout: timedelta = DEFAULT_TIMEOUT,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    ) -> Callable[[F], F]:
        """Register a task that the scheduler enqueues once per `every`, with `kwargs`."""
        if every <= timedelta(0):
            raise ValueError("a periodic task needs a positive interval")
        register_task = self.task(name, result_ttl=result_ttl, timeout=timeout, max_attempts=max_attempts)

        def register(fn: F) -> F:
            register_task(fn)
            self._periodic[name] = PeriodicTask(name, every, dict(kwargs or {}))
            return fn

        return register

    def get(self, name: str) -> Task:
        """The task registered under `name`."""
        try:
            return self._tasks[name]
        except KeyError:
            raise UnknownTaskError(f"no task named {name!r}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._tasks

    @property
    def tasks(self) -> list[Task]:
        """Every registered task, periodic ones included."""
        return list(self._tasks.values())

    @property
    def periodic_tasks(self) -> list[PeriodicTask]:
        """The periodic schedule (a Celery beat adapter reads the same list)."""
        return list(self._periodic.values())


class TaskContext:
    """What a running task may use: its job id, progress reporting and the system's database."""

    def __init__(
        self,
        *,
        job_id: str,
        name: str,
        attempt: int,
        database: Database,
        job_model: type[JobMixin],
        checkpoint: Any = None,
        clock: Clock = SYSTEM_CLOCK,
    ):
        self.job_id = job_id
        self.name = name
        self.attempt = attempt
        self.database = database
        self.checkpoint = checkpoint
        """What an earlier attempt of this job saved with `save_checkpoint` (None on a first run)."""
        self._job_model = job_model
        self._clock = clock

    def save_checkpoint(self, session: Session, data: Any) -> None:
        """Write `data` to the job row in the caller's transaction, so it commits with the work it records.

        Raises JobRevoked (the caller's transaction must then roll back) when this attempt no longer owns
        the job: revoked, or taken for lost while it was still running.
        """
        job = self._job_model
        changed = affected(
            session,
            update(job)
            .where(job.id == self.job_id, job.state.in_(ACTIVE_STATES), job.attempts == self.attempt)
            .values(checkpoint=data, heartbeat_at=self._clock.now())
            .execution_options(synchronize_session=False),
        )
        if not changed:
            raise JobRevoked(self.job_id)
        self.checkpoint = data

    def progress(self, current: int, total: int | None = None) -> None:
        """Record progress in its own short transaction; raises JobRevoked if the job was revoked."""
        job = self._job_model
        values: dict[str, Any] = {
            "state": JobState.PROGRESS,
            "progress_current": current,
            "heartbeat_at": self._clock.now(),
        }
        if total is not None:
            values["progress_total"] = total
        with self.database.session() as session:
            # The state guard keeps a concurrent revoke from being overwritten by a late progress report; the
            # attempt guard stops a run that maintenance took for lost once the job was handed to another run.
            changed = affected(
                session,
                update(job)
                .where(job.id == self.job_id, job.state.in_(ACTIVE_STATES), job.attempts == self.attempt)
                .values(**values),
            )
        if not changed:
            raise JobRevoked(self.job_id)
