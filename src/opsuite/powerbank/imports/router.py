"""Routes of the bulk import: `/api/users/bulk-import`, its `validate` and its `template`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from opsuite.core import xlsx
from opsuite.core.files import MULTIPART_SLACK
from opsuite.core.limits import body_limit
from opsuite.powerbank.access import Caller, Permission
from opsuite.powerbank.deps import RuntimeDep, SessionDep, allowed_to
from opsuite.powerbank.envelope import mirrored
from opsuite.powerbank.errors import error_responses
from opsuite.powerbank.imports import files, service, upload

router = APIRouter(prefix="/api/users/bulk-import", tags=["Пакетный импорт"])
ImporterDep = Annotated[Caller, Depends(allowed_to(Permission.APPROVE_USERS))]
T = TypeVar("T")

_MULTIPART_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": "xlsx до 10 MB"},
                        "org_unit_id": {"type": "integer", "description": "Куда добавить пользователей"},
                    },
                }
            }
        },
    }
}
_XLSX_FILE: dict[int | str, dict[str, Any]] = {
    200: {"content": {xlsx.XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}}
}
# The body limit is the backstop; receive_upload's own cap speaks first.
_LIMIT = upload.MAX_BYTES + MULTIPART_SLACK + 1024 * 1024


async def _with_upload(request: Request, work: Callable[[upload.Upload], T]) -> T:
    length = request.headers.get("content-length")
    received = await upload.receive(
        request.stream(),
        content_type=request.headers.get("content-type", ""),
        content_length=int(length) if length and length.isdigit() else None,
    )
    try:
        return await run_in_threadpool(work, received)
    finally:
        received.path.unlink(missing_ok=True)


@router.get("/template", responses=_XLSX_FILE | error_responses(401, 403), summary="Шаблон Excel для импорта")
def download_template(_caller: ImporterDep) -> Response:
    """`users_import_template.xlsx`: столбцы fio, email, phone и две строки-примера."""
    return xlsx.response(files.template(), files.TEMPLATE_NAME)


@router.post(
    "/validate",
    responses=error_responses(400, 401, 403),
    openapi_extra=_MULTIPART_BODY,
    summary="Проверка файла Excel",
)
@body_limit(_LIMIT)
async def validate_file(request: Request, session: SessionDep, caller: ImporterDep) -> dict[str, Any]:
    """Проверяет каждую строку как `POST /api/users`; ничего не создаёт."""

    def work(received: upload.Upload) -> dict[str, Any]:
        return service.validate(session, caller=caller, path=received.path, unit_id=received.unit_id)

    body = await _with_upload(request, work)
    return mirrored(body, body.pop("message"))


@router.post(
    "",
    responses=error_responses(400, 401, 403),
    openapi_extra=_MULTIPART_BODY,
    summary="Пакетный импорт пользователей",
)
@body_limit(_LIMIT)
async def import_users(
    request: Request,
    session: SessionDep,
    caller: ImporterDep,
    runtime: RuntimeDep,
    report: Annotated[
        Literal["xlsx"] | None, Query(description="xlsx: ответом будет отчёт с паролями")
    ] = None,
) -> Any:
    """Создаёт активных пользователей со сгенерированными паролями. В JSON паролей нет: их содержит
    только отчёт `?report=xlsx` (созданные пользователи с паролями и строки с ошибками)."""
    outcome = await _with_upload(
        request,
        lambda received: service.run_import(
            session, caller=caller, path=received.path, unit_id=received.unit_id, now=runtime.clock.now()
        ),
    )
    if report == "xlsx":
        return xlsx.response(files.report(outcome.created, outcome.errors), files.REPORT_NAME)
    return mirrored(outcome.wire(), outcome.message)
