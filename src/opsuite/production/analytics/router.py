"""The analytics dashboard."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from opsuite.production.analytics import service
from opsuite.production.common.schemas import examples
from opsuite.production.deps import RuntimeDep

router = APIRouter(prefix="/analytics", tags=["Analytics"])


class DashboardOut(BaseModel):
    """Figures refreshed every 5 minutes; `cached_at` says when."""

    model_config = examples(
        {
            "total_batches": 100,
            "active_batches": 45,
            "total_products": 500,
            "aggregated_products": 400,
            "aggregation_rate": 80.0,
            "cached_at": "2025-01-15T10:30:00Z",
        }
    )

    total_batches: int
    active_batches: int
    total_products: int
    aggregated_products: int
    aggregation_rate: float
    cached_at: datetime


@router.get("/dashboard", summary="Статистика дашборда", response_model=DashboardOut)
def get_dashboard(runtime: RuntimeDep) -> dict[str, Any]:
    """Статистика дашборда из кэша (обновляется каждые 5 минут)."""
    return service.dashboard(runtime.database, now=runtime.clock.now())
