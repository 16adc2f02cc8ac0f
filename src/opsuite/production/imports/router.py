"""`POST /batches/import`: the upload streamed to the file store, then a job."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from opsuite.core.files import MULTIPART_SLACK
from opsuite.core.limits import MiB, body_limit
from opsuite.production.deps import RuntimeDep
from opsuite.production.errors import error_responses
from opsuite.production.imports import upload
from opsuite.production.jobs.schemas import TaskAccepted

router = APIRouter(prefix="/batches", tags=["Batches"])

_MULTIPART_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "xlsx или csv, до 10 MB",
                        },
                        "update_existing": {"type": "boolean", "default": False},
                    },
                }
            }
        },
    }
}


@router.post(
    "/import",
    status_code=202,
    response_model=TaskAccepted,
    responses=error_responses(400, 413, 422),
    openapi_extra=_MULTIPART_BODY,
    summary="Импорт партий",
)
# The body limit is the backstop; a margin over receive_upload's own cap lets that cap speak first.
@body_limit(lambda scope: scope["app"].state.settings.import_max_bytes + MULTIPART_SLACK + MiB)
async def import_batches(request: Request, runtime: RuntimeDep) -> TaskAccepted:
    """Файл (xlsx или csv, до 10 MB) сохраняется по мере получения; задача читает его построчно.
    Результат: `{success, total, created, updated, failed, errors: [{row, error}]}`.

    Пример не выполняется как есть: нужен файл, а у формы с файлом нет примера;
    выберите xlsx или csv с колонками экспорта."""
    length = request.headers.get("content-length")
    job_id = await upload.accept_import(
        request.stream(),
        runtime,
        content_type=request.headers.get("content-type", ""),
        content_length=int(length) if length and length.isdigit() else None,
    )
    return TaskAccepted(task_id=job_id, message="Import task started")
