"""Batch tasks: aggregation of many codes in the background."""

from __future__ import annotations

from typing import Any

from opsuite.core.jobs import TaskContext, TaskRegistry
from opsuite.production.batches import service
from opsuite.production.runtime import Runtime


def register(registry: TaskRegistry, runtime: Runtime) -> None:
    """Add the batch tasks to the registry."""

    @registry.task(service.AGGREGATE)
    def aggregate_codes(
        ctx: TaskContext,
        *,
        batch_id: str,
        aggregated_at: str | None = None,
        unique_codes: list[str] | None = None,
    ) -> dict[str, Any]:
        return service.aggregate_job(
            ctx, runtime, batch_id=batch_id, aggregated_at=aggregated_at, unique_codes=unique_codes
        )
