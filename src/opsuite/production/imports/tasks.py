"""The import task."""

from __future__ import annotations

from typing import Any

from opsuite.core.jobs import TaskContext, TaskRegistry
from opsuite.production.imports import service
from opsuite.production.runtime import Runtime


def register(registry: TaskRegistry, runtime: Runtime) -> None:
    """Add the import task to the registry."""

    # Not idempotent: with update_existing a blind rerun would overwrite what users edited meanwhile, and a
    # run that killed its worker would kill the next one. A lost run fails as "worker lost"; its checkpoint
    # says which rows landed.
    @registry.task(service.IMPORT, idempotent=False)
    def import_batches(
        ctx: TaskContext, *, file_id: str, format: str, update_existing: bool
    ) -> dict[str, Any]:
        return service.import_job(
            ctx, runtime, file_id=file_id, format=format, update_existing=update_existing
        )
