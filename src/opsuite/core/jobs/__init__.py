"""Background jobs: a `jobs` table as the source of truth, pluggable runners, and leased periodic tasks."""

from opsuite.core.db import UTCDateTime
from opsuite.core.jobs.celery_engine import (
    CeleryEngine,
    CeleryRunner,
    CelerySettings,
    beat_schedule,
    build_runner,
    fire_periodic,
    make_celery,
    schedule_entries,
    task_name,
    uses_celery,
)
from opsuite.core.jobs.heartbeat import Heartbeat
from opsuite.core.jobs.leases import acquire_lease, release_lease
from opsuite.core.jobs.maintenance import (
    WORKER_LOST,
    MaintenanceReport,
    Reaped,
    maintain,
    maintain_under_lease,
    reap_lost,
)
from opsuite.core.jobs.models import JobMixin, JobState, LeaseMixin
from opsuite.core.jobs.periodic import DEFAULT_MAINTENANCE_EVERY, PeriodicScheduler
from opsuite.core.jobs.queue import JobQueue, JobRunner
from opsuite.core.jobs.registry import (
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_RESULT_TTL,
    DEFAULT_TIMEOUT,
    JobRevoked,
    LostHook,
    PeriodicTask,
    Task,
    TaskContext,
    TaskRegistry,
    UnknownTaskError,
)
from opsuite.core.jobs.runner import InlineRunner, InProcessRunner, run_job
from opsuite.core.jobs.service import get_job, purge_expired, resubmit_stale, revoke
from opsuite.core.jobs.settings import DEFAULT_HEARTBEAT_EVERY, DEFAULT_LOST_AFTER, JobSettings
from opsuite.core.jobs.setup import JobSetup

__all__ = [
    "DEFAULT_HEARTBEAT_EVERY",
    "DEFAULT_LOST_AFTER",
    "DEFAULT_MAINTENANCE_EVERY",
    "DEFAULT_MAX_ATTEMPTS",
    "DEFAULT_RESULT_TTL",
    "DEFAULT_TIMEOUT",
    "WORKER_LOST",
    "CeleryEngine",
    "CeleryRunner",
    "CelerySettings",
    "Heartbeat",
    "InProcessRunner",
    "InlineRunner",
    "JobMixin",
    "JobQueue",
    "JobRevoked",
    "JobRunner",
    "JobSettings",
    "JobSetup",
    "JobState",
    "LeaseMixin",
    "LostHook",
    "MaintenanceReport",
    "PeriodicScheduler",
    "PeriodicTask",
    "Reaped",
    "Task",
    "TaskContext",
    "TaskRegistry",
    "UTCDateTime",
    "UnknownTaskError",
    "acquire_lease",
    "beat_schedule",
    "build_runner",
    "fire_periodic",
    "get_job",
    "maintain",
    "maintain_under_lease",
    "make_celery",
    "purge_expired",
    "reap_lost",
    "release_lease",
    "resubmit_stale",
    "revoke",
    "run_job",
    "schedule_entries",
    "task_name",
    "uses_celery",
]
