"""Download of generated reports and exports."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import FileResponse

from opsuite.core.files import content_disposition, media_type
from opsuite.production.deps import RuntimeDep, SessionDep
from opsuite.production.errors import error_responses
from opsuite.production.files import service

router = APIRouter(tags=["Reports"])


@router.get(
    "/reports/{file_id}",
    response_class=FileResponse,
    summary="Скачивание отчёта или файла экспорта",
    responses={
        200: {
            "description": "Файл (PDF, XLSX или CSV) как вложение",
            "content": {"application/pdf": {}, "text/csv": {}, "application/octet-stream": {}},
        },
        **error_responses(404),
    },
)
def download(file_id: str, session: SessionDep, runtime: RuntimeDep) -> FileResponse:
    """Файл с его Content-Type и понятным именем; 404, если он неизвестен или срок хранения истёк.

    Пример не выполняется как есть: `file_id` приходит в ответе генерации отчёта (`download_url`)
    или в результате задачи экспорта; демо-данные файлов не содержат."""
    store = service.file_store(runtime.settings)
    row = service.get_download(session, file_id=file_id, store=store, now=runtime.clock.now())
    return FileResponse(
        store.resolve(row.path),
        media_type=media_type(row.format),
        headers={"Content-Disposition": content_disposition(row.name), "Cache-Control": "private"},
    )
