"""The webhook sweeper (periodic), the in-process engine, and the worker function for Celery."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from opsuite.core import outbox as core_outbox
from opsuite.core.jobs import TaskContext, TaskRegistry
from opsuite.production.runtime import Runtime
from opsuite.production.webhooks.delivery import CONCURRENCY, outbox_of
from opsuite.production.webhooks.models import WebhookDelivery

SWEEP_TASK = "webhooks.sweep"
DELIVER_FUNCTION = "outbox.deliver"


def sweep(runtime: Runtime) -> dict[str, int]:
    """Dispatch again the pending deliveries left behind (crash, lost timer, expired claim)."""
    outbox = outbox_of(runtime)
    ids = outbox.sweep(older_than=runtime.settings.webhook_sweep_after_seconds)
    dispatched = core_outbox.dispatch(WebhookDelivery, ids) if ids else False
    return {"found": len(ids), "dispatched": len(ids) if dispatched else 0}


def register(registry: TaskRegistry, runtime: Runtime) -> None:
    """The periodic sweeper, every `webhook_sweep_after_seconds`."""

    @registry.periodic(SWEEP_TASK, every=timedelta(seconds=runtime.settings.webhook_sweep_after_seconds))
    def sweep_task(ctx: TaskContext) -> dict[str, int]:
        del ctx
        return sweep(runtime)


def in_process_engine(runtime: Runtime) -> core_outbox.InProcessDispatcher:
    """The default engine: started by the app's lifespan, bound to the deliveries table."""
    return core_outbox.InProcessDispatcher(outbox_of(runtime), concurrency=CONCURRENCY)


def functions(runtime: Runtime) -> dict[str, Callable[..., Any]]:
    """Plain worker functions (Celery: `opsuite.production.fn.outbox.deliver`)."""

    def deliver(ids: list[str]) -> dict[str, int]:
        return outbox_of(runtime).deliver(ids)

    return {DELIVER_FUNCTION: deliver}
