"""The production job machinery as one `JobSetup`: for the app's runner and for Celery workers and beat."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from opsuite.core import outbox as core_outbox
from opsuite.core.db import Database
from opsuite.core.jobs import JobSetup, bound_runner
from opsuite.production.jobs.models import Job, Lease
from opsuite.production.jobs.registry import build_registry
from opsuite.production.runtime import Runtime
from opsuite.production.settings import ProductionSettings
from opsuite.production.webhooks import tasks as webhooks_tasks
from opsuite.production.webhooks.models import WebhookDelivery


def build_setup(runtime: Runtime) -> JobSetup:
    """Tasks, periodic entries and the worker functions (webhook delivery) of one runtime."""
    return JobSetup(
        system="production",
        database=runtime.database,
        job_model=Job,
        lease_model=Lease,
        registry=build_registry(runtime),
        clock=runtime.clock,
        functions=webhooks_tasks.functions(runtime),
    )


class _BoundRunnerCaller:
    """Sends worker functions through whichever Celery runner this process has bound for `Job`."""

    def call(self, name: str, kwargs: Mapping[str, Any], countdown: float | None = None) -> None:
        runner: Any = bound_runner(Job)
        if runner is None or not hasattr(runner, "call"):
            # No broker here: the sweeper finds the pending delivery again.
            raise RuntimeError("no Celery runner bound in this process")
        runner.call(name, kwargs, countdown=countdown)


def bind_broker_dispatcher(runtime: Runtime) -> None:
    """Scaled out (API or worker): deliveries, retries and sweeps go to the broker as `outbox.deliver`."""
    dispatcher = core_outbox.CallDispatcher(_BoundRunnerCaller(), webhooks_tasks.DELIVER_FUNCTION)
    core_outbox.bind_dispatcher(WebhookDelivery, dispatcher, clock=runtime.clock)


def worker_setup(config: ProductionSettings) -> JobSetup:
    """The job machinery of a Celery worker or beat process (`opsuite worker production`)."""
    runtime = Runtime(database=Database(config.db_url), settings=config)
    bind_broker_dispatcher(runtime)
    return build_setup(runtime)
