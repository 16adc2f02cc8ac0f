"""The periodic dashboard refresh."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from opsuite.core.jobs import TaskContext, TaskRegistry
from opsuite.production.analytics import service
from opsuite.production.runtime import Runtime

REFRESH = "analytics.refresh_dashboard"


def register(registry: TaskRegistry, runtime: Runtime) -> None:
    """Recompute the dashboard every `dashboard_refresh_seconds` (5 minutes), once across workers."""

    @registry.periodic(
        REFRESH,
        every=timedelta(seconds=runtime.settings.dashboard_refresh_seconds),
        result_ttl=timedelta(hours=1),
    )
    def refresh_dashboard(ctx: TaskContext) -> dict[str, Any]:
        figures = service.refresh(ctx.database, now=runtime.clock.now())
        return {**figures, "cached_at": figures["cached_at"].isoformat()}
