"""`POST /batches/import`: the upload streamed to the file store, then a job."""

from __future__ import annotations

import uuid
from typing import Any, BinaryIO

from fastapi import APIRouter, Request
from pydantic import TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from opsuite.core.files import (
    MULTIPART_SLACK,
    AtomicFile,
    FormTooLarge,
    UploadError,
    UploadTooLarge,
    receive_upload,
)
from opsuite.core.limits import MiB, body_limit
from opsuite.production.deps import RuntimeDep
from opsuite.production.errors import BadRequest, InvalidValue, TooLarge, error_responses
from opsuite.production.files import service as files_service
from opsuite.production.imports import service
from opsuite.production.jobs.schemas import TaskAccepted
from opsuite.production.runtime import Runtime

router = APIRouter(prefix="/batches", tags=["Batches"])

_BOOL = TypeAdapter(bool)
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
    Результат: `{success, total, created, updated, failed, errors: [{row, error}]}`."""
    limit = runtime.settings.import_max_bytes
    file_id = uuid.uuid4()
    store = files_service.file_store(runtime.settings)
    state: dict[str, Any] = {}

    def open_file(filename: str) -> BinaryIO:
        fmt = service.format_of(filename)
        target = store.writer(file_id, fmt)
        state.update(fmt=fmt, target=target)
        return target.file

    def check_head(head: bytes) -> None:
        service.check_content(state["fmt"], head)

    length = request.headers.get("content-length")
    try:
        upload = await receive_upload(
            request.stream(),
            request.headers.get("content-type", ""),
            file_field="file",
            open_file=open_file,
            limit=limit,
            content_length=int(length) if length and length.isdigit() else None,
            check_head=check_head,
        )
        update_existing = _flag(upload.fields.get("update_existing"))
        target: AtomicFile = state["target"]
        size = await run_in_threadpool(target.commit)
    except FormTooLarge as exc:
        if exc.kind == "parts":
            raise TooLarge(f"Слишком много полей формы (больше {exc.limit})") from None
        raise TooLarge(f"Поле формы больше {exc.limit} байт") from None
    except UploadTooLarge:
        raise TooLarge(f"Файл больше допустимого размера ({limit // (1024 * 1024)} MB)") from None
    except UploadError as exc:
        if "no file" in str(exc):
            raise InvalidValue("Поле file обязательно") from None
        raise BadRequest(f"Неверный multipart-запрос: {exc}") from None
    finally:
        if "target" in state and not state["target"].committed:
            state["target"].abort()
    job_id = await run_in_threadpool(
        _start, runtime, file_id, state["fmt"], upload.filename, size, update_existing
    )
    return TaskAccepted(task_id=job_id, message="Import task started")


def _flag(value: str | None) -> bool:
    if value is None or value == "":
        return False
    try:
        return _BOOL.validate_python(value)
    except ValidationError:
        raise InvalidValue(f"update_existing: ожидается boolean, получено {value!r}") from None


def _start(
    runtime: Runtime, file_id: uuid.UUID, fmt: service.ImportFormat, filename: str, size: int, update: bool
) -> str:
    with runtime.database.session() as session:
        job = service.start_import(
            session, runtime, file_id=file_id, fmt=fmt, filename=filename, size=size, update_existing=update
        )
        return job.id
