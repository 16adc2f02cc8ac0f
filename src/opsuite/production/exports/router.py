"""`POST /batches/export`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body

from opsuite.production.batches import router as batches_router
from opsuite.production.batches.filters import BatchFilters
from opsuite.production.common.examples import demo_query
from opsuite.production.deps import RuntimeDep, SessionDep
from opsuite.production.errors import error_responses
from opsuite.production.exports import service
from opsuite.production.jobs.schemas import TaskAccepted

router = APIRouter(prefix="/batches", tags=["Batches"])


@router.post(
    "/export",
    status_code=202,
    response_model=TaskAccepted,
    responses=error_responses(422),
    summary="Экспорт партий",
)
def export_batches(
    session: SessionDep,
    runtime: RuntimeDep,
    fmt: Annotated[
        service.ExportFormat, demo_query("xlsx", "xlsx", alias="format", description="xlsx или csv")
    ],
    query_filters: batches_router.FiltersDep,
    body: Annotated[BatchFilters | None, Body()] = None,
) -> TaskAccepted:
    """Фильтры — в JSON-теле (как в документе) или в query; поля тела важнее. Результат задачи:
    `{file_id, download_url, format, total}`."""
    job = service.start_export(session, jobs=runtime.jobs, fmt=fmt, filters=query_filters, overrides=body)
    return TaskAccepted(task_id=job.id, message="Export task started")
