"""Routes of bulk uploads and their jobs."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from opsuite.core.fields import Id
from opsuite.core.text import RulesModel
from opsuite.core.web.deps import SessionDep
from opsuite.scales.deps import RuntimeDep, UserId
from opsuite.scales.errors import error_responses
from opsuite.scales.jobs import bulk

router = APIRouter(tags=["jobs"])


class BulkUploadIn(RulesModel):
    """The devices to upload to."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"device_ids": [1]}]})  # the demo device

    device_ids: list[Id] = Field(min_length=1, max_length=500)


class JobOut(BaseModel):
    """A background job and, once finished, its result."""

    id: str
    state: str
    result: Any | None = None
    error: str | None = None


@router.post(
    "/devices/bulk-upload",
    status_code=202,
    response_model=JobOut,
    responses=error_responses(401, 404),
    summary="Загрузить кэш в несколько весов (задача)",
)
def bulk_upload(body: BulkUploadIn, session: SessionDep, runtime: RuntimeDep, user_id: UserId) -> JobOut:
    job = bulk.start(session, jobs=runtime.jobs, user_id=user_id, device_ids=body.device_ids)
    return JobOut(id=job.id, state=str(job.state))


@router.get(
    "/jobs/{job_id}",
    response_model=JobOut,
    responses=error_responses(401, 404),
    summary="Задача, запущенная пользователем",
)
def get_job(job_id: str, session: SessionDep, user_id: UserId) -> JobOut:
    """Пример не выполняется как есть: `job_id` приходит в ответе `POST /devices/bulk-upload`.

    Демо-данные задач не содержат."""
    job = bulk.get(session, user_id=user_id, job_id=job_id)
    return JobOut(id=job.id, state=str(job.state), result=job.result, error=job.error)
