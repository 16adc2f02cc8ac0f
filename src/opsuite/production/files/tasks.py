"""The daily cleanup of stored files."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from opsuite.core.jobs import TaskContext, TaskRegistry
from opsuite.production.files import service
from opsuite.production.runtime import Runtime

CLEANUP = "files.cleanup"


def register(registry: TaskRegistry, runtime: Runtime) -> None:
    """Remove files older than `files_retention_days` once a day, once across workers."""

    @registry.periodic(CLEANUP, every=timedelta(days=1))
    def cleanup_files(ctx: TaskContext) -> dict[str, Any]:
        return service.cleanup(
            ctx.database,
            service.file_store(runtime.settings),
            now=runtime.clock.now(),
            retention_days=runtime.settings.files_retention_days,
        )
