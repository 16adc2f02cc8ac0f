"""The production task registry: each domain adds its tasks and periodic entries here."""

from __future__ import annotations

from opsuite.core.jobs import TaskRegistry
from opsuite.production.runtime import Runtime


def build_registry(runtime: Runtime) -> TaskRegistry:
    """Every task of the production system, bound to `runtime`."""
    from opsuite.production.analytics import tasks as analytics_tasks
    from opsuite.production.batches import tasks as batches_tasks
    from opsuite.production.exports import tasks as exports_tasks
    from opsuite.production.files import tasks as files_tasks
    from opsuite.production.imports import tasks as imports_tasks
    from opsuite.production.mail import tasks as mail_tasks
    from opsuite.production.webhooks import tasks as webhooks_tasks

    registry = TaskRegistry()
    for register in (
        batches_tasks.register,
        analytics_tasks.register,
        exports_tasks.register,
        imports_tasks.register,
        mail_tasks.register,
        files_tasks.register,
        webhooks_tasks.register,
    ):
        register(registry, runtime)
    return registry
