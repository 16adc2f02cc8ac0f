"""`POST /batches/{batch_id}/reports/generate`."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AfterValidator

from opsuite.production import demo_ids
from opsuite.production.common.examples import demo_path, demo_query
from opsuite.production.deps import RuntimeDep, SessionDep
from opsuite.production.errors import error_responses
from opsuite.production.mail.service import check_address
from opsuite.production.reports import service
from opsuite.production.reports.schemas import ReportOut

router = APIRouter(prefix="/batches", tags=["Batches"])

Email = Annotated[
    str, Query(max_length=254, description="Адрес для отправки отчёта"), AfterValidator(check_address)
]


@router.post(
    "/{batch_id}/reports/generate",
    status_code=201,
    response_model=ReportOut,
    responses=error_responses(404, 422),
    summary="Генерация отчёта по партии",
)
def generate_report(
    batch_id: Annotated[uuid.UUID, demo_path(demo_ids.batch_id(1001), "партия 1001 демо-данных")],
    session: SessionDep,
    runtime: RuntimeDep,
    fmt: Annotated[
        service.ReportFormat, demo_query("pdf", "PDF", alias="format", description="pdf или xlsx")
    ],
    user_email: Email | None = None,
) -> dict[str, str]:
    """Синхронно; файл доступен по `download_url`. С `user_email` отчёт уходит письмом после ответа."""
    return service.generate(session, runtime, batch_id=batch_id, fmt=fmt, user_email=user_email)
