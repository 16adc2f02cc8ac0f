"""Tables in and out: rows streamed from a database cursor into xlsx or CSV, and xlsx/CSV read back as dicts.

Writing keeps memory flat: the database hands rows over in partitions (a server-side cursor on
PostgreSQL), XlsxWriter in constant_memory mode flushes each row to disk, and CSV rows go straight
to the file. Reading yields one row at a time (calamine holds the sheet's cells in Rust, not as
Python objects).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
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


def read_table(path: str | os.PathLike[str], fmt: Format) -> TableReader:
    """Open an xlsx (first sheet) or CSV file whose first row is the header; names are stripped.

    xlsx cells keep calamine's types (str, int, float, bool, date, datetime, time, timedelta); CSV
    cells are strings. Empty cells and missing trailing cells are None for xlsx and "" for CSV.
    Raises ValueError when the file cannot be read as that format.
    """
    if fmt == "xlsx":
        return _read_xlsx(Path(path))
    return _read_csv(Path(path))


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
        finally:
            handle.close()

    if first is None:
        handle.close()
    return TableReader(header=header, total=total, rows=generate())


def _name(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()
