"""Tables in and out: rows streamed from a database cursor into xlsx or CSV, and xlsx/CSV read back as dicts.

Writing keeps memory flat: the database hands rows over in partitions (a server-side cursor on
PostgreSQL), XlsxWriter in constant_memory mode flushes each row to disk, and CSV rows go straight
to the file. Reading yields one row at a time (calamine holds the sheet's cells in Rust, not as
Python objects).

calamine reads a whole sheet into a dense grid (about 32 bytes per cell of the used range, plus about
70 bytes per written cell while it loads, plus the text), so an xlsx is inspected before it is opened:
its zip directory and a streamed, bounded decompression of every member (nothing is extracted to disk)
must stay under `XlsxLimits`; see `check_xlsx`.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

from python_calamine import CalamineWorkbook
from sqlalchemy import Executable
from sqlalchemy.orm import Session

from opsuite.core.xlsx import open_workbook

Format = Literal["xlsx", "csv"]
CSV_ENCODING = "utf-8-sig"  # the BOM lets Excel open Cyrillic CSV correctly
XLSX_MAGIC = b"PK\x03\x04"
Value = str | int | float | bool | dt.date | dt.datetime | None


def stream_partitions(
    session: Session, statement: Executable, *, size: int = 1000
) -> Iterator[Sequence[Any]]:
    """Rows of `statement` in lists of at most `size`, fetched through a streaming cursor."""
    result = session.execute(statement.execution_options(yield_per=size))
    try:
        yield from result.partitions(size)
    finally:
        result.close()


def write_csv(
    target: IO[str], header: Sequence[str], rows: Iterable[Sequence[Value]], *, delimiter: str = ","
) -> int:
    """Write a header and rows with the csv module (QUOTE_MINIMAL); returns the number of data rows.

    Open `target` with `encoding=CSV_ENCODING, newline=""`. None is written as an empty cell.
    """
    writer = csv.writer(target, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def open_csv_writer(path: str | os.PathLike[str]) -> IO[str]:
    """A text file for `write_csv`: UTF-8 with BOM, newline handling left to the csv module."""
    return open(path, "w", encoding=CSV_ENCODING, newline="")


def write_xlsx(
    target: str | os.PathLike[str] | IO[bytes],
    header: Sequence[str],
    rows: Iterable[Sequence[Value]],
    *,
    sheet_name: str = "Sheet1",
    widths: Sequence[float] = (),
) -> int:
    """Write one sheet in constant_memory mode (bold header, frozen top row); returns the data rows.

    Strings, numbers and booleans become typed cells; dates and datetimes are written as given by the
    caller (convert them to text first if the sheet must be read back exactly); None leaves a blank.
    """
    workbook = open_workbook(target)
    try:
        sheet = workbook.add_worksheet(sheet_name)
        bold = workbook.add_format({"bold": True})
        for index, width in enumerate(widths):
            sheet.set_column(index, index, width)
        sheet.freeze_panes(1, 0)
        sheet.write_row(0, 0, header, bold)
        write_string = sheet.write_string
        write_number = sheet.write_number
        write_boolean = sheet.write_boolean
        write = sheet.write
        row_index = 0
        for row_index, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                kind = type(value)
                if kind is str:
                    write_string(row_index, col, value)
                elif kind is int or kind is float:
                    write_number(row_index, col, value)
                elif kind is bool:
                    write_boolean(row_index, col, value)
                elif value is not None:
                    write(row_index, col, value)
    finally:
        workbook.close()
    return row_index


def sniff(head: bytes) -> Format | None:
    """The format the first bytes of a file look like: a zip (xlsx) or text without NUL bytes (CSV)."""
    if head.startswith(XLSX_MAGIC):
        return "xlsx"
    if b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character may be cut at the end of the sample.
        if exc.start < len(head) - 3:
            return None
    return "csv"


@dataclass
class TableReader:
    """A table opened for reading: its header, its row count when known, and the rows as dicts."""

    header: list[str]
    total: int
    rows: Iterator[tuple[int, dict[str, Any]]]
    """(line number in the file, counting the header as 1; cells by header name)"""

    def close(self) -> None:
        """Release the file."""
        close = getattr(self.rows, "close", None)
        if close is not None:
            close()


@dataclass(frozen=True)
class XlsxLimits:
    """What an xlsx may hold before it is opened: bytes once unpacked, and cells of any sheet.

    Reading then peaks below about `max_cells` x 100 bytes plus twice `max_unpacked_bytes` (230 MB with
    the defaults); measured: 70 MB (1M numbers) to 104 MB (1M strings, 64 MB of XML) above baseline.
    """

    max_unpacked_bytes: int = 64 * 1024 * 1024
    max_cells: int = 1_000_000
    """The used range (last row x last column) and the written cells, each, of every sheet."""


class TableTooLarge(ValueError):
    """The file would need more memory to read than its limits allow; refused before parsing."""


def read_table(path: str | os.PathLike[str], fmt: Format, *, limits: XlsxLimits | None = None) -> TableReader:
    """Open an xlsx (first sheet) or CSV file whose first row is the header; names are stripped.

    xlsx cells keep calamine's types (str, int, float, bool, date, datetime, time, timedelta); CSV
    cells are strings. Empty cells and missing trailing cells are None for xlsx and "" for CSV.
    Raises TableTooLarge when an xlsx exceeds `limits` (default `XlsxLimits()`), ValueError when the
    file cannot be read as that format.
    """
    if fmt == "xlsx":
        check_xlsx(Path(path), limits or XlsxLimits())
        return _read_xlsx(Path(path))
    return _read_csv(Path(path))


_MB = 1024 * 1024
_CHUNK = _MB
_MAX_TAG = 64 * 1024
# A row or cell start tag, with or without a namespace prefix (`<row r="7">`, `<c r="B7" t="s">`, `<x:c>`),
# and its reference when it has one: one findall per chunk keeps the scan in C for all but a short loop.
_TAG = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])"
    rb"""(?:[^>]*?\sr\s*=\s*["']\$?([A-Za-z]{0,3})\$?([0-9]{1,12})["'])?[^>]*>"""
)


def check_xlsx(path: Path, limits: XlsxLimits) -> None:
    """Refuse an xlsx that unpacks past `limits.max_unpacked_bytes` or whose sheets span more than
    `limits.max_cells`, inflating its members in bounded chunks; nothing is extracted or parsed.

    The declared sizes are checked first. Then each member's deflate stream is inflated to its own end,
    whatever the zip directory claims, so a directory that understates sizes (with a CRC forged to match)
    is caught too: no reader can get more out of the file than what is counted here.
    """
    try:
        with zipfile.ZipFile(path) as archive, path.open("rb") as raw:
            members = archive.infolist()
            declared = sum(member.file_size for member in members)
            if declared > limits.max_unpacked_bytes:
                raise _too_big(declared, limits)
            unpacked = 0
            for member in members:
                extent = _Extent(limits.max_cells)
                for chunk in _inflate(raw, member):
                    unpacked += len(chunk)
                    if unpacked > limits.max_unpacked_bytes:
                        raise _too_big(unpacked, limits)
                    extent.feed(chunk)
    except TableTooLarge:
        raise
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, struct.error, EOFError, OSError) as exc:
        raise ValueError(f"не удалось прочитать xlsx: {exc}") from exc


def _inflate(raw: IO[bytes], member: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's bytes, at most `_CHUNK` at a time, up to the end of its deflate stream."""
    raw.seek(member.header_offset)
    header = raw.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header of {member.filename!r}")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    raw.seek(member.header_offset + 30 + name_length + extra_length)
    if member.compress_type == zipfile.ZIP_STORED:
        left = member.compress_size
        while left > 0 and (chunk := raw.read(min(_CHUNK, left))):
            left -= len(chunk)
            yield chunk
        return
    if member.compress_type != zipfile.ZIP_DEFLATED:
        raise NotImplementedError(f"compression method {member.compress_type} of {member.filename!r}")
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    while not inflater.eof and (packed := raw.read(64 * 1024)):
        # max_length bounds each piece; what did not fit waits in unconsumed_tail.
        yield inflater.decompress(packed, _CHUNK)
        while inflater.unconsumed_tail and not inflater.eof:
            yield inflater.decompress(inflater.unconsumed_tail, _CHUNK)


def _too_big(size: int, limits: XlsxLimits) -> TableTooLarge:
    return TableTooLarge(
        f"файл xlsx распаковывается больше чем в {limits.max_unpacked_bytes // _MB} MB "
        f"(не меньше {size // _MB} MB)"
    )


class _Extent:
    """The used range of one member seen as sheet XML: rows and cells counted from their start tags."""

    def __init__(self, max_cells: int) -> None:
        self.max_cells = max_cells
        self.row = 0
        self.column = 0
        self.last_row = 0
        self.last_column = 0
        self.cells = 0
        self._pending = b""

    def feed(self, chunk: bytes) -> None:
        data = self._pending + chunk
        start = data.rfind(b"<")
        # Keep an unfinished tag for the next chunk; text and finished tags are done with.
        if start >= 0 and data.find(b">", start) < 0:
            data, self._pending = data[:start], data[start:]
            if len(self._pending) > _MAX_TAG:
                raise ValueError("не удалось прочитать xlsx: тег длиннее 64 KB")
        else:
            self._pending = b""
        self._count(_TAG.findall(data))
        if self.cells > self.max_cells or self.last_row * self.last_column > self.max_cells:
            raise TableTooLarge(
                f"лист xlsx больше допустимых {self.max_cells} ячеек "
                f"(не меньше {self.last_row} строк x {self.last_column} столбцов, {self.cells} ячеек)"
            )

    def _count(self, tags: list[tuple[bytes, bytes, bytes]]) -> None:
        row, column, last_row, last_column, cells = self.row, self.column, self.last_row, self.last_column, 0
        columns = _COLUMNS
        for name, letters, digits in tags:
            if name == b"row":
                row = int(digits) if digits else row + 1
                column = 0
                continue
            # A cell without a reference follows the previous one in its row.
            if digits:
                row = int(digits)
            if letters:
                column = columns.get(letters) or _column_number(letters)
            else:
                column += 1
            cells += 1
            if row > last_row:
                last_row = row
            if column > last_column:
                last_column = column
        self.row, self.column, self.last_row, self.last_column = row, column, last_row, last_column
        self.cells += cells
        self.last_row = max(self.last_row, 1 if self.cells else 0)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + (letter - 64)
    return number


def _letters(number: int) -> bytes:
    out = b""
    while number:
        number, rest = divmod(number - 1, 26)
        out = bytes([65 + rest]) + out
    return out


# The references of the first 702 columns (A..ZZ), looked up rather than computed for each cell.
_COLUMNS = {_letters(number): number for number in range(1, 703)}


def _read_xlsx(path: Path) -> TableReader:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.iter_rows()
        first = next(rows, None)
    except Exception as exc:  # calamine raises its own error types for broken files
        raise ValueError(f"не удалось прочитать xlsx: {exc}") from exc
    header = [_name(cell) for cell in (first or [])]
    total = max(sheet.height - 1, 0) if first is not None else 0

    def generate() -> Iterator[tuple[int, dict[str, Any]]]:
        for number, row in enumerate(rows, start=2):
            if all(cell in ("", None) for cell in row):
                continue
            cells = zip(header, row, strict=False)
            yield number, {name: (None if cell == "" else cell) for name, cell in cells}

    return TableReader(header=header, total=total, rows=generate())


def _read_csv(path: Path) -> TableReader:
    try:
        with path.open(encoding=CSV_ENCODING, newline="") as counting:
            total = max(sum(1 for _ in csv.reader(counting)) - 1, 0)
        handle = path.open(encoding=CSV_ENCODING, newline="")
        reader = csv.reader(handle)
        first = next(reader, None)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ValueError(f"не удалось прочитать CSV: {exc}") from exc
    header = [_name(cell) for cell in (first or [])]

    def generate() -> Iterator[tuple[int, dict[str, Any]]]:
        try:
            for number, row in enumerate(reader, start=2):
                if not any(cell.strip() for cell in row):
                    continue
                yield number, dict(zip(header, row, strict=False))
        except csv.Error as exc:
            # A field over csv's size limit, a NUL byte: the file is unreadable from here on.
            raise ValueError(f"не удалось прочитать CSV: {exc}") from exc
        finally:
            handle.close()

    if first is None:
        handle.close()
    return TableReader(header=header, total=total, rows=generate())


def _name(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()
