"""Streaming xlsx: XlsxWriter in constant_memory mode into a spooled file, answered in chunks."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any, Literal

from starlette.responses import StreamingResponse
from xlsxwriter import Workbook

from opsuite.core.files import content_disposition

__all__ = [
    "XLSX_MEDIA_TYPE",
    "Column",
    "Sheet",
    "build",
    "chunks",
    "content_disposition",
    "open_workbook",
    "response",
]

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK_SIZE = 64 * 1024
SPOOL_BYTES = 4 * 1024 * 1024  # small reports stay in memory; big ones move to a temp file

Cell = str | int | float | Decimal | dt.date | dt.time | None
Style = Literal["text", "int", "decimal", "date", "time"]

_NUM_FORMATS: dict[Style, str | None] = {
    "text": None,
    "int": "0",
    "decimal": "0.000",
    "date": "dd.mm.yyyy",
    "time": "hh:mm",
}


# User text such as "=HYPERLINK(...)" or a URL must land in the sheet as the text it is.
_OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}


@dataclass(frozen=True)
class Column:
    """A table column: its header, its cell style and its width in characters."""

    title: str
    style: Style = "text"
    width: float = 12.0


class Sheet:
    """One worksheet written top to bottom, as constant_memory requires."""

    def __init__(self, workbook: Any, name: str) -> None:
        self._workbook = workbook
        self._sheet = workbook.add_worksheet(name)
        self._formats: dict[tuple[Style, bool], Any] = {}
        self.row = 0

    def columns(self, columns: Sequence[Column]) -> None:
        """Set the column widths and write the bold header row."""
        for index, column in enumerate(columns):
            self._sheet.set_column(index, index, column.width)
        self.write([column.title for column in columns], bold=True)

    def write(self, values: Sequence[Cell], styles: Sequence[Style] = (), *, bold: bool = False) -> None:
        """Write one row; `styles[i]` formats `values[i]` (text where missing), None leaves a blank."""
        for index, value in enumerate(values):
            if value is None:
                continue
            style = styles[index] if index < len(styles) else "text"
            self._sheet.write(self.row, index, value, self._format(style, bold))
        self.row += 1

    def skip(self, rows: int = 1) -> None:
        """Leave `rows` empty rows."""
        self.row += rows

    def _format(self, style: Style, bold: bool) -> Any:
        key = (style, bold)
        if key not in self._formats:
            props: dict[str, Any] = {"bold": True} if bold else {}
            if (num_format := _NUM_FORMATS[style]) is not None:
                props["num_format"] = num_format
            self._formats[key] = self._workbook.add_format(props)
        return self._formats[key]


def open_workbook(target: str | os.PathLike[str] | IO[bytes]) -> Any:
    """A constant-memory workbook writing to a path or a binary stream; the caller closes it."""
    return Workbook(os.fspath(target) if isinstance(target, os.PathLike) else target, _OPTIONS)


def build(fill: Callable[[Any], None], *, spool_bytes: int = SPOOL_BYTES) -> IO[bytes]:
    """Run `fill(workbook)` on a constant-memory workbook and return the finished file, rewound."""
    stream: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=spool_bytes)  # noqa: SIM115
    try:
        workbook = Workbook(stream, _OPTIONS)
        try:
            fill(workbook)
        finally:
            workbook.close()
        stream.seek(0)
    except BaseException:
        stream.close()
        raise
    return stream


def chunks(stream: IO[bytes], chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """Yield the stream in chunks and close it, also when the client goes away mid-way."""
    try:
        while chunk := stream.read(chunk_size):
            yield chunk
    finally:
        stream.close()


def response(stream: IO[bytes], filename: str) -> StreamingResponse:
    """A StreamingResponse sending a finished xlsx file as an attachment."""
    size = stream.seek(0, os.SEEK_END)
    stream.seek(0)
    headers = {"Content-Disposition": content_disposition(filename), "Content-Length": str(size)}
    return StreamingResponse(chunks(stream), media_type=XLSX_MEDIA_TYPE, headers=headers)
