"""The production job machinery as one `JobSetup`: for the app's runner and for Celery workers and beat."""

from __future__ import annotations

from opsuite.core import outbox as core_outbox
from opsuite.core.jobs import JobSetup
from opsuite.production.jobs.models import Lease
from opsuite.production.jobs.registry import build_registry
from opsuite.production.runtime import Runtime, build_runtime
from opsuite.production.settings import ProductionSettings
from opsuite.production.webhooks import tasks as webhooks_tasks


def build_setup(runtime: Runtime) -> JobSetup:
    """Tasks, periodic entries and the worker functions (webhook delivery) of one runtime."""
    return JobSetup.of(
        runtime, "production", Lease, build_registry(runtime), webhooks_tasks.functions(runtime)
    )


def broker_dispatcher(runtime: Runtime) -> core_outbox.CallDispatcher:
    """Scaled out (API or worker): deliveries, retries and sweeps go to the broker as `outbox.deliver`,
    through the Celery runner attached to the runtime's job queue."""
    return core_outbox.CallDispatcher(runtime.jobs, webhooks_tasks.DELIVER_FUNCTION)


def worker_setup(config: ProductionSettings) -> JobSetup:
    """The job machinery of a Celery worker or beat process (`opsuite worker production`)."""
    runtime = build_runtime(config)
    runtime.outbox.attach(broker_dispatcher(runtime))
    return build_setup(runtime)
