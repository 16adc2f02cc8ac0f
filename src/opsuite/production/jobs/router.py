"""`GET /api/background_tasks/{task_id}`: the jobs table seen through the document's Celery words."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from opsuite.production.deps import RuntimeDep, SessionDep
from opsuite.production.errors import error_responses
from opsuite.production.jobs import service
from opsuite.production.jobs.schemas import TaskOut

router = APIRouter(tags=["Background tasks"])


@router.get(
    "/background_tasks/{task_id}",
    response_model=TaskOut,
    summary="Статус фоновой задачи",
    responses=error_responses(404),
)
def get_task(
    task_id: Annotated[str, Path(max_length=64)], session: SessionDep, runtime: RuntimeDep
) -> dict[str, object]:
    """PENDING / PROGRESS `{current, total, percent}` / SUCCESS (result) / FAILURE `{error}`; kept 24 h.

    Пример не выполняется как есть: `task_id` приходит в ответе запустившего задачу маршрута
    (экспорт, импорт, `aggregate_async`); демо-данные задач не содержат."""
    return service.task_status(session, task_id=task_id, now=runtime.clock.now())
