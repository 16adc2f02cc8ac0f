"""The export task."""

from __future__ import annotations

from typing import Any

from opsuite.core.jobs import TaskContext, TaskRegistry
from opsuite.production.exports import service
from opsuite.production.runtime import Runtime


def register(registry: TaskRegistry, runtime: Runtime) -> None:
    """Add the export task to the registry."""

    @registry.task(service.EXPORT)
    def export_batches(ctx: TaskContext, *, format: str, filters: dict[str, Any]) -> dict[str, Any]:
        return service.export_job(ctx, runtime, format=format, filters=filters)
