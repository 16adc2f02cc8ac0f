"""The export task."""

from __future__ import annotations

from typing import Any

from opsuite.core.jobs import TaskContext, TaskRegistry
from opsuite.production.exports import service
from opsuite.production.files import service as files_service
from opsuite.production.runtime import Runtime


def register(registry: TaskRegistry, runtime: Runtime) -> None:
    """Add the export task to the registry."""

    def tidy_up(job_id: str, _args: dict[str, Any]) -> None:
        service.remove_leftovers(files_service.file_store(runtime.settings), service.file_id_of(job_id))

    # Rerunning an export is harmless: it rewrites the same file.
    @registry.task(service.EXPORT, on_lost=tidy_up)
    def export_batches(ctx: TaskContext, *, format: str, filters: dict[str, Any]) -> dict[str, Any]:
        return service.export_job(ctx, runtime, format=format, filters=filters)
