"""The webhook sweeper (periodic), the in-process engine, and the worker function for Celery."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from opsuite.core import outbox as core_outbox
from opsuite.core.jobs import TaskContext, TaskRegistry
from opsuite.production.runtime import Runtime
from opsuite.production.webhooks.delivery import CONCURRENCY

SWEEP_TASK = "webhooks.sweep"
DELIVER_FUNCTION = "outbox.deliver"


def sweep(runtime: Runtime) -> dict[str, int]:
    """Dispatch again the pending deliveries left behind (crash, lost timer, expired claim)."""
    ids = runtime.outbox.sweep(older_than=runtime.settings.webhook_sweep_after_seconds)
    dispatched = runtime.outbox.dispatch(ids) if ids else False
    return {"found": len(ids), "dispatched": len(ids) if dispatched else 0}


def register(registry: TaskRegistry, runtime: Runtime) -> None:
    """The periodic sweeper, every `webhook_sweep_after_seconds`."""

    @registry.periodic(SWEEP_TASK, every=timedelta(seconds=runtime.settings.webhook_sweep_after_seconds))
    def sweep_task(ctx: TaskContext) -> dict[str, int]:
        del ctx
        return sweep(runtime)


def in_process_engine(runtime: Runtime) -> core_outbox.InProcessDispatcher:
    """The default engine: started by the app's lifespan, it attaches itself to the runtime's outbox."""
    return core_outbox.InProcessDispatcher(runtime.outbox, concurrency=CONCURRENCY)


def functions(runtime: Runtime) -> dict[str, Callable[..., Any]]:
    """Plain worker functions (Celery: `opsuite.production.fn.outbox.deliver`)."""

    def deliver(ids: list[str]) -> dict[str, int]:
        return runtime.outbox.deliver(ids)

    return {DELIVER_FUNCTION: deliver}
