"""In-process periodic scheduler: fires each periodic task once per interval across every process."""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from datetime import timedelta
from typing import Any

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.core.db import Database
from opsuite.core.jobs.leases import acquire_lease
from opsuite.core.jobs.maintenance import DEFAULT_STALE_AFTER, MAINTENANCE_LEASE, maintain_under_lease
from opsuite.core.jobs.models import LeaseMixin
from opsuite.core.jobs.queue import JobQueue
from opsuite.core.jobs.registry import TaskRegistry
from opsuite.core.jobs.settings import JobSettings

log = logging.getLogger(__name__)

PERIODIC_PREFIX = "periodic:"
# With the default 30 s heartbeat limit, a dead run is failed or re-run within a minute.
DEFAULT_MAINTENANCE_EVERY = timedelta(seconds=20)
__all__ = [
    "DEFAULT_MAINTENANCE_EVERY",
    "MAINTENANCE_LEASE",
    "PERIODIC_PREFIX",
    "PeriodicScheduler",
    "default_holder",
]


def default_holder() -> str:
    """An identity unique to this scheduler: host, process and a random suffix."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class PeriodicScheduler:
    """Enqueues due periodic tasks on `queue` under database leases, and keeps the jobs table tidy."""

    def __init__(
        self,
        database: Database,
        queue: JobQueue[Any],
        lease_model: type[LeaseMixin],
        registry: TaskRegistry,
        *,
        clock: Clock = SYSTEM_CLOCK,
        tick: float = 1.0,
        holder: str | None = None,
        maintenance_every: timedelta | None = DEFAULT_MAINTENANCE_EVERY,
        stale_after: timedelta = DEFAULT_STALE_AFTER,
        settings: JobSettings | None = None,
    ) -> None:
        self.database = database
        self.queue = queue
        self.lease_model = lease_model
        self.registry = registry
        self.clock = clock
        self.tick = tick
        self.holder = holder or default_holder()
        self.maintenance_every = maintenance_every
        self.stale_after = stale_after
        self.lost_after = (settings or JobSettings()).lost_after
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_pending(self) -> list[str]:
        """One pass: enqueue every periodic task whose lease this scheduler wins; returns the new job ids."""
        fired = []
        for periodic in self.registry.periodic_tasks:
            now = self.clock.now()
            with self.database.session() as session:
                # Lease and job row commit together: no lease without its job, no job without the lease.
                if not acquire_lease(
                    session,
                    self.lease_model,
                    PERIODIC_PREFIX + periodic.name,
                    holder=self.holder,
                    ttl=periodic.every,
                    now=now,
                ):
                    continue
                job = self.queue.enqueue_args(session, periodic.name, periodic.kwargs, now=now)
                fired.append(job.id)
        if self.maintenance_every is not None:
            self.maintain(self.maintenance_every)
        return fired

    def maintain(self, every: timedelta) -> bool:
        """Purge expired results, resubmit stale PENDING jobs and reap lost runs, at most once per `every`
        system-wide."""
        report = maintain_under_lease(
            self.database,
            self.queue.job_model,
            self.lease_model,
            self.registry,
            holder=self.holder,
            ttl=every,
            now=self.clock.now(),
            stale_after=self.stale_after,
            runner=self.queue.runner,
            lost_after=self.lost_after,
        )
        return report is not None

    def start(self) -> None:
        """Run `run_pending` every `tick` seconds on a daemon thread."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="opsuite-periodic", daemon=True)
        self._thread.start()

    @property
    def running(self) -> bool:
        """True while the scheduler thread is started."""
        return self._thread is not None

    def stop(self, wait: bool = True) -> None:
        """Stop the thread; leases simply expire, so another process takes over at the next interval."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None and wait:
            thread.join()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_pending()
            except Exception:
                # A database hiccup must not kill the scheduler; the next tick tries again.
                log.exception("periodic scheduler pass failed")
            self._stop.wait(self.tick)
