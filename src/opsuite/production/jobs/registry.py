"""The production task registry: each domain adds its tasks and periodic entries here."""

from __future__ import annotations

from opsuite.core.jobs import TaskRegistry
from opsuite.production.runtime import Runtime


def build_registry(runtime: Runtime) -> TaskRegistry:
    """Every task of the production system, bound to `runtime`."""
    from opsuite.production.analytics import tasks as analytics_tasks
    from opsuite.production.batches import tasks as batches_tasks

    registry = TaskRegistry()
    for register in (batches_tasks.register, analytics_tasks.register):
        register(registry, runtime)
    return registry
