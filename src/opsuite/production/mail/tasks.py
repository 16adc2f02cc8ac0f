"""The e-mail task."""

from __future__ import annotations

from typing import Any

from opsuite.core.jobs import TaskContext, TaskRegistry
from opsuite.production.mail import service
from opsuite.production.runtime import Runtime


def register(registry: TaskRegistry, runtime: Runtime) -> None:
    """Add the e-mail task to the registry."""

    @registry.task(service.SEND_REPORT)
    def send_report(ctx: TaskContext, *, to: str, file_id: str, batch_id: str) -> dict[str, Any]:
        return service.send_report_job(ctx, runtime, to=to, file_id=file_id, batch_id=batch_id)
