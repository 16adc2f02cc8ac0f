"""Receiving an import upload: streamed into the file store, checked, then its job queued."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any, BinaryIO

from pydantic import TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from opsuite.core.files import AtomicFile, FormTooLarge, UploadError, UploadTooLarge, receive_upload
from opsuite.production.errors import BadRequest, InvalidValue, TooLarge
from opsuite.production.files import service as files_service
from opsuite.production.imports import service
from opsuite.production.runtime import Runtime

_BOOL = TypeAdapter(bool)


async def accept_import(
    stream: AsyncIterator[bytes], runtime: Runtime, *, content_type: str, content_length: int | None
) -> str:
    """Save the multipart upload's `file` as it arrives (format and size checked on the way) and queue
    its import; the job id. 400/413/422 (domain errors) for a bad form, file or flag."""
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

    try:
        upload = await receive_upload(
            stream,
            content_type,
            file_field="file",
            open_file=open_file,
            limit=limit,
            content_length=content_length,
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
    return await run_in_threadpool(
        _start, runtime, file_id, state["fmt"], upload.filename, size, update_existing
    )


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
