"""Heartbeats: a running job touches `heartbeat_at` from a side thread so maintenance can tell it is alive."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from types import TracebackType

from sqlalchemy import update

from opsuite.core.clock import Clock
from opsuite.core.db import Database
from opsuite.core.jobs.models import ACTIVE_STATES, JobMixin, affected

log = logging.getLogger(__name__)


def touch(database: Database, job_model: type[JobMixin], job_id: str, attempt: int, clock: Clock) -> bool:
    """Record that `attempt` of the job is alive; False once the job is no longer that attempt's to run."""
    job = job_model
    with database.session() as session:
        return bool(
            affected(
                session,
                update(job)
                .where(job.id == job_id, job.state.in_(ACTIVE_STATES), job.attempts == attempt)
                .values(heartbeat_at=clock.now())
                .execution_options(synchronize_session=False),
            )
        )


class Heartbeat:
    """A daemon thread beating for one running attempt until the block it guards ends."""

    def __init__(
        self,
        database: Database,
        job_model: type[JobMixin],
        job_id: str,
        attempt: int,
        *,
        every: timedelta,
        clock: Clock,
    ) -> None:
        self._args = (database, job_model, job_id, attempt, clock)
        self._every = every.total_seconds()
        self._stop = threading.Event()
        name = f"opsuite-heartbeat-{job_id[:8]}"
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        # Bounded: a beat stuck on a locked database must not hold up the job's own finish.
        self._thread.join(timeout=self._every + 5.0)

    def _loop(self) -> None:
        while not self._stop.wait(self._every):
            try:
                if not touch(*self._args):
                    return  # finished, revoked or taken for lost: nothing left to keep alive
            except Exception:
                # A missed beat is survivable; several in a row are what maintenance is for.
                log.warning("heartbeat of job %s failed", self._args[2], exc_info=True)
