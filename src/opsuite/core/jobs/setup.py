"""What an engine needs to run a system's jobs: its database, job queue, tables, tasks, worker functions."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.core.db import Database
from opsuite.core.jobs.models import JobMixin, LeaseMixin
from opsuite.core.jobs.queue import JobQueue
from opsuite.core.jobs.registry import TaskRegistry


class JobsRuntime(Protocol):
    """A system runtime with background jobs."""

    database: Database
    clock: Clock
    jobs: JobQueue[Any]


@dataclass(frozen=True)
class JobSetup:
    """One system's job machinery, built by its `system.jobs(config)`.

    `functions` are plain callables taking JSON-able keyword arguments that run on a worker without a
    jobs row (e.g. `"outbox.deliver": deliver(ids=[...])`), sent with `CeleryRunner.call`.
    """

    system: str
    database: Database
    queue: JobQueue[Any]
    lease_model: type[LeaseMixin]
    registry: TaskRegistry
    clock: Clock = SYSTEM_CLOCK
    functions: Mapping[str, Callable[..., Any]] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        runtime: JobsRuntime,
        system: str,
        lease_model: type[LeaseMixin],
        registry: TaskRegistry,
        functions: Mapping[str, Callable[..., Any]] | None = None,
    ) -> JobSetup:
        """The setup of a system's runtime: its database, job queue and clock."""
        return cls(
            system, runtime.database, runtime.jobs, lease_model, registry, runtime.clock, functions or {}
        )

    @property
    def job_model(self) -> type[JobMixin]:
        """The jobs table of the queue."""
        return self.queue.job_model
