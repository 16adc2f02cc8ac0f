"""Celery engine: the same jobs and task functions, run by `opsuite worker`, scheduled by `opsuite beat`.

A Celery message carries only a job id (or a plain function's keyword arguments); the jobs table holds
state, progress and results, so results are never stored in Celery. Every task here is idempotent:
`run_job` claims a job with a conditional UPDATE, so a message delivered twice runs the job once.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from celery import Celery, signals
from celery.beat import PersistentScheduler
from pydantic_settings import BaseSettings, SettingsConfigDict

from opsuite.core.jobs.leases import acquire_lease
from opsuite.core.jobs.maintenance import maintain_under_lease
from opsuite.core.jobs.periodic import PERIODIC_PREFIX, default_holder
from opsuite.core.jobs.queue import JobQueue, JobRunner
from opsuite.core.jobs.registry import TaskRegistry, UnknownTaskError
from opsuite.core.jobs.runner import InProcessRunner, run_job
from opsuite.core.jobs.settings import JobSettings
from opsuite.core.jobs.setup import JobSetup
from opsuite.core.settings import CoreSettings

log = logging.getLogger(__name__)

MAINTENANCE_ENTRY = "jobs:maintenance"


class CelerySettings(BaseSettings):
    """Engine settings, read from `OPSUITE_CELERY_*`."""

    model_config = SettingsConfigDict(env_prefix="OPSUITE_CELERY_", env_file=".env", extra="ignore")

    # Seconds a delivered, unacknowledged message waits before Redis hands it to another worker; with late
    # acks that is also when the message of a job running longer is delivered again (and ignored).
    visibility_timeout: float = 300.0
    # With the jobs' 30 s heartbeat limit, a run whose worker died is failed or re-run within a minute.
    maintenance_every: float = 20.0
    stale_after: float = 600.0


def task_name(system: str, suffix: str) -> str:
    """The Celery name of one of a system's tasks: `opsuite.<system>.<suffix>`."""
    return f"opsuite.{system}.{suffix}"


def uses_celery(redis_url: str | None) -> bool:
    """True when jobs go to Celery; then beat owns the schedule and no in-process scheduler may run."""
    return bool(redis_url)


class CeleryEngine:
    """The Celery side of one system: its app and its setup, built lazily once per process."""

    def __init__(
        self, app: Celery, system: str, setup_factory: Callable[[], JobSetup], settings: CelerySettings
    ) -> None:
        self.app = app
        self.system = system
        self.settings = settings
        self._factory = setup_factory
        self._setup: JobSetup | None = None
        self._pid = 0
        self._lock = threading.Lock()

    def setup(self) -> JobSetup:
        """The system's JobSetup; built on first use in each process (a forked child builds its own)."""
        with self._lock:
            if self._setup is None or self._pid != os.getpid():
                setup = self._factory()
                if setup.system != self.system:
                    raise ValueError(f"setup of {setup.system!r} given to the Celery app of {self.system!r}")
                self._setup, self._pid = setup, os.getpid()
                # Jobs enqueued by a task on a worker must reach the broker too.
                if setup.queue.runner is None:
                    CeleryRunner(self.app, setup.queue).start()
            return self._setup

    def register_functions(self) -> list[str]:
        """Register a task `opsuite.<system>.fn.<name>` per entry of the setup's `functions`."""
        names = []
        for name in self.setup().functions:
            full = task_name(self.system, f"fn.{name}")
            if full not in self.app.tasks:
                self.app.task(name=full, shared=False)(self._function_caller(name))
            names.append(full)
        return names

    def _function_caller(self, name: str) -> Callable[..., Any]:
        def call(**kwargs: Any) -> Any:
            return self.setup().functions[name](**kwargs)

        call.__name__ = call.__qualname__ = f"fn_{name.replace('.', '_')}"
        return call


def engine_of(app: Celery) -> CeleryEngine:
    """The engine behind an app made by `make_celery`."""
    engine = getattr(app, "opsuite_engine", None)
    if not isinstance(engine, CeleryEngine):
        raise TypeError("not a Celery app made by make_celery")
    return engine


def make_celery(
    system: str,
    broker_url: str,
    setup_factory: Callable[[], JobSetup],
    *,
    settings: CelerySettings | None = None,
    schedule_file: Path | None = None,
) -> Celery:
    """A Celery app for `system` on a Redis broker; `setup_factory` runs only where a task runs."""
    settings = settings or CelerySettings()
    liveness = JobSettings()
    app = Celery(f"opsuite.{system}", broker=broker_url, set_as_current=False)
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        event_serializer="json",
        accept_content=["json"],
        result_accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": settings.visibility_timeout},
        task_default_queue=system,
        worker_hijack_root_logger=False,
        enable_utc=True,
        timezone="UTC",
        beat_scheduler=f"{__name__}:RegistryScheduler",
        beat_schedule_filename=str(schedule_file or CoreSettings().var_dir / f"celerybeat-{system}"),
    )
    engine = CeleryEngine(app, system, setup_factory, settings)
    app.opsuite_engine = engine

    def run_job_task(job_id: str) -> str | None:
        setup = engine.setup()
        state = run_job(
            setup.database,
            setup.job_model,
            setup.registry,
            job_id,
            clock=setup.clock,
            heartbeat_every=liveness.heartbeat_every,
        )
        return None if state is None else state.value

    def fire_periodic_task(name: str) -> str | None:
        return fire_periodic(engine.setup(), name)

    def maintain_task() -> dict[str, Any] | None:
        setup = engine.setup()
        report = maintain_under_lease(
            setup.database,
            setup.job_model,
            setup.lease_model,
            setup.registry,
            holder=default_holder(),
            # Half the interval: a late beat tick still runs, an accidental second beat does not.
            ttl=timedelta(seconds=settings.maintenance_every) / 2,
            now=setup.clock.now(),
            stale_after=timedelta(seconds=settings.stale_after),
            runner=setup.queue.runner,
            lost_after=liveness.lost_after,
        )
        if report is None:
            return None
        return {
            "purged": report.purged,
            "resubmitted": report.resubmitted,
            "retried": report.reaped.retried,
            "failed": report.reaped.failed,
        }

    app.task(name=task_name(system, "run_job"), shared=False)(run_job_task)
    app.task(name=task_name(system, "fire_periodic"), shared=False)(fire_periodic_task)
    app.task(name=task_name(system, "maintain"), shared=False)(maintain_task)

    def on_worker_init(sender: Any = None, **_: Any) -> None:
        # A worker must know every task name before it consumes; function names live in the setup.
        if getattr(sender, "app", None) is app:
            engine.register_functions()

    signals.worker_init.connect(on_worker_init, weak=False)
    return app


def fire_periodic(
    setup: JobSetup, name: str, *, ttl_fraction: float = 0.5, holder: str | None = None
) -> str | None:
    """Create the job of periodic task `name` with its registered kwargs; it is submitted on commit.

    The database lease `periodic:<name>` (the in-process scheduler's) is taken for `ttl_fraction` of the
    interval, so a tick delivered twice, or fired by a restarted or second beat, makes one job.
    Returns the new job id, or None when the lease was held.
    """
    periodic = {task.name: task for task in setup.registry.periodic_tasks}.get(name)
    if periodic is None:
        raise UnknownTaskError(f"no periodic task named {name!r}")
    now = setup.clock.now()
    with setup.database.session() as session:
        if not acquire_lease(
            session,
            setup.lease_model,
            PERIODIC_PREFIX + name,
            holder=holder or default_holder(),
            ttl=periodic.every * ttl_fraction,
            now=now,
        ):
            log.info("periodic %s not fired: fired less than %s ago", name, periodic.every * ttl_fraction)
            return None
        job_id: str = setup.queue.enqueue_args(session, name, periodic.kwargs, now=now).id
    return job_id


def schedule_entries(system: str, registry: TaskRegistry, maintenance_every: timedelta) -> dict[str, Any]:
    """Celery beat entries: one per periodic task of the registry, plus the jobs maintenance."""
    entries: dict[str, Any] = {
        PERIODIC_PREFIX + periodic.name: {
            "task": task_name(system, "fire_periodic"),
            "schedule": periodic.every,
            "args": [periodic.name],
            # A tick nobody consumed within its interval is dropped; the next one fires instead.
            "options": {"queue": system, "expires": periodic.every.total_seconds()},
        }
        for periodic in registry.periodic_tasks
    }
    entries[MAINTENANCE_ENTRY] = {
        "task": task_name(system, "maintain"),
        "schedule": maintenance_every,
        "args": [],
        "options": {"queue": system, "expires": maintenance_every.total_seconds()},
    }
    return entries


def beat_schedule(app: Celery) -> dict[str, Any]:
    """The beat schedule of an app made by `make_celery`, from its system's registry."""
    engine = engine_of(app)
    return schedule_entries(
        engine.system, engine.setup().registry, timedelta(seconds=engine.settings.maintenance_every)
    )


class RegistryScheduler(PersistentScheduler):  # type: ignore[misc]
    """Celery's file-backed scheduler with its entries taken from the system's task registry."""

    def setup_schedule(self) -> None:
        self.app.conf.beat_schedule = beat_schedule(self.app)
        Path(self.schedule_filename).parent.mkdir(parents=True, exist_ok=True)
        super().setup_schedule()


class CeleryRunner:
    """The JobRunner that sends the jobs of `queue` to Celery workers; also sends a setup's `functions`."""

    def __init__(self, app: Celery, queue: JobQueue[Any]) -> None:
        self.app = app
        self.queue = queue
        self.job_model = queue.job_model
        self.system = engine_of(app).system

    def submit(self, job_id: str) -> None:
        """Send `run_job(job_id)` to the system's queue."""
        self.app.send_task(task_name(self.system, "run_job"), args=[job_id])

    def call(self, name: str, kwargs: Mapping[str, Any], countdown: float | None = None) -> None:
        """Send the setup's function `name` with JSON-able `kwargs` to a worker, no jobs row."""
        self.app.send_task(task_name(self.system, f"fn.{name}"), kwargs=dict(kwargs), countdown=countdown)

    def start(self) -> None:
        """Attach this runner to its queue."""
        self.queue.attach(self)

    def shutdown(self, wait: bool = True) -> None:
        """Detach; jobs already sent stay in the broker for the workers."""
        self.queue.detach(self)


def build_runner(
    setup: JobSetup, redis_url: str | None, *, max_workers: int = 4, settings: JobSettings | None = None
) -> JobRunner:
    """A CeleryRunner when `redis_url` is set, else the in-process thread pool beating per `settings`."""
    if uses_celery(redis_url):
        assert redis_url is not None
        return CeleryRunner(make_celery(setup.system, redis_url, lambda: setup), setup.queue)
    return InProcessRunner(
        setup.database,
        setup.queue,
        setup.registry,
        max_workers=max_workers,
        clock=setup.clock,
        heartbeat_every=(settings or JobSettings()).heartbeat_every,
    )
