"""Receiving an import upload: the multipart `file` streamed into a temporary xlsx, `org_unit_id` read."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, cast

from opsuite.core.files import FormTooLarge, UploadError, UploadTooLarge, receive_upload
from opsuite.core.tabular import XLSX_MAGIC
from opsuite.powerbank.errors import BadRequest, FieldInvalid

MAX_BYTES = 10 * 1024 * 1024
EXTENSIONS = (".xlsx",)
NO_FILE = "Поле file обязательно"
WRONG_TYPE = "Нужен файл Excel (.xlsx)"
TOO_LARGE = "Файл больше 10 MB"
FORM_TOO_LARGE = "Форма слишком большая"
BAD_FORM = "Неверный multipart-запрос"
BAD_UNIT = "org_unit_id должен быть целым положительным числом"


@dataclass(frozen=True)
class Upload:
    """The received file (the caller removes it) and the unit the users go to."""

    path: Path
    unit_id: int | None


async def receive(stream: AsyncIterator[bytes], *, content_type: str, content_length: int | None) -> Upload:
    """Save the upload's `file` in a temporary file.

    400 for a missing, non-xlsx or too large file, or a bad form."""
    state: dict[str, Any] = {}

    def open_file(filename: str) -> BinaryIO:
        if not filename.lower().endswith(EXTENSIONS):
            raise BadRequest(WRONG_TYPE)
        target = cast(BinaryIO, tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False))  # noqa: SIM115
        state["file"] = target
        return target

    def check_head(head: bytes) -> None:
        if not head.startswith(XLSX_MAGIC):
            raise BadRequest(WRONG_TYPE)

    try:
        upload = await receive_upload(
            stream,
            content_type,
            file_field="file",
            open_file=open_file,
            limit=MAX_BYTES,
            content_length=content_length,
            check_head=check_head,
        )
    except FormTooLarge:
        _discard(state)
        raise BadRequest(FORM_TOO_LARGE) from None
    except UploadTooLarge:
        _discard(state)
        raise BadRequest(TOO_LARGE) from None
    except UploadError as exc:
        _discard(state)
        raise BadRequest(NO_FILE if "no file" in str(exc) else BAD_FORM) from None
    except BaseException:
        _discard(state)
        raise
    state["file"].close()
    return Upload(Path(state["file"].name), _unit(upload.fields.get("org_unit_id")))


def _discard(state: dict[str, Any]) -> None:
    if "file" in state:
        state["file"].close()
        Path(state["file"].name).unlink(missing_ok=True)


def _unit(value: str | None) -> int | None:
    if value is None or value.strip() in ("", "null"):
        return None
    text = value.strip()
    if not text.isdigit() or not 1 <= int(text) <= 2**31 - 1:
        raise FieldInvalid("org_unit_id", BAD_UNIT)
    return int(text)
