"""core.files and core.tabular: safe paths, atomic writes, streamed uploads under a limit, xlsx/CSV round trips."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import BinaryIO

import anyio
import pytest

from opsuite.core.files import (
    FileStore,
    UploadError,
    UploadTooLarge,
    content_disposition,
    media_type,
    receive_upload,
)
from opsuite.core.tabular import open_csv_writer, read_table, sniff, write_csv, write_xlsx

FILE_ID = uuid.UUID("0123456789abcdef0123456789abcdef")


def test_paths_are_built_from_the_id_only(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    assert store.relative(FILE_ID, "pdf") == "01/0123456789abcdef0123456789abcdef.pdf"
    with pytest.raises(ValueError, match="bad file extension"):
        store.relative(FILE_ID, "../x")
    for bad in ("../outside.txt", "/etc/passwd", "01/../../x", ""):
        with pytest.raises(ValueError, match="outside the store"):
            store.resolve(bad)


def test_atomic_write_is_all_or_nothing(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    with store.writer(FILE_ID, "csv") as target:
        target.file.write(b"half")
        assert not target.final.exists()
        assert target.path.name.startswith(".tmp-")
    assert list(tmp_path.rglob("*.*")) == []  # not committed: nothing left

    def fail_midway() -> None:
        with store.writer(FILE_ID, "csv") as target:
            target.file.write(b"x")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail_midway()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    with store.writer(FILE_ID, "csv") as target:
        target.file.write(b"whole")
        assert target.commit() == 5
    with store.open(store.relative(FILE_ID, "csv")) as handle:
        assert handle.read() == b"whole"
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [f"{FILE_ID.hex}.csv"]


def test_write_chunks_refuses_past_the_limit(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    assert store.write_chunks(FILE_ID, "csv", [b"12345", b"67890"], limit=10) == 10
    with pytest.raises(UploadTooLarge):
        store.write_chunks(FILE_ID, "xlsx", [b"12345", b"678901"], limit=10)
    assert not (tmp_path / store.relative(FILE_ID, "xlsx")).exists()


def test_delete_and_age_sweep(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    store.write_chunks(FILE_ID, "csv", [b"a"])
    other = uuid.UUID(int=7)
    store.write_chunks(other, "csv", [b"b"])
    old = 1_000_000.0
    os.utime(tmp_path / store.relative(FILE_ID, "csv"), (old, old))
    assert store.delete_older_than(60, now=old + 61) == 1
    assert store.exists(store.relative(other, "csv"))
    assert store.delete(store.relative(other, "csv")) is True
    assert store.delete(store.relative(other, "csv")) is False


def test_content_disposition_and_media_types() -> None:
    assert content_disposition("Отчёт 1.pdf") == (
        "attachment; filename=\"Otchet 1.pdf\"; filename*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82%201.pdf"
    )
    assert media_type("pdf") == "application/pdf"
    assert media_type("csv") == "text/csv; charset=utf-8"
    assert media_type("bin") == "application/octet-stream"


def _multipart(parts: list[tuple[str, str | None, bytes]], boundary: str = "XyZ") -> bytes:
    body = b""
    for name, filename, data in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        body += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + data + b"\r\n"
    return body + f"--{boundary}--\r\n".encode()


async def _chunks(data: bytes, size: int = 7) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def _receive(tmp_path: Path, body: bytes, *, limit: int = 1000, **kwargs: object) -> tuple[object, Path]:
    store = FileStore(tmp_path)
    target = store.writer(FILE_ID, "csv")

    def open_file(filename: str) -> BinaryIO:
        assert filename == "data.csv"
        return target.file

    async def run() -> object:
        return await receive_upload(
            _chunks(body),
            "multipart/form-data; boundary=XyZ",
            file_field="file",
            open_file=open_file,
            limit=limit,
            **kwargs,  # type: ignore[arg-type]
        )

    try:
        upload = anyio.run(run)
        target.commit()
    finally:
        if not target.committed:
            target.abort()
    return upload, target.final


def test_receive_upload_streams_the_file_and_reads_fields(tmp_path: Path) -> None:
    payload = bytes(range(256)) * 3
    body = _multipart(
        [("update_existing", None, b"true"), ("file", "data.csv", payload), ("note", None, b"x")]
    )
    upload, path = _receive(tmp_path, body)
    assert upload.filename == "data.csv"  # type: ignore[attr-defined]
    assert upload.size == 768  # type: ignore[attr-defined]
    assert upload.head == payload[:16]  # type: ignore[attr-defined]
    assert upload.fields == {"update_existing": "true", "note": "x"}  # type: ignore[attr-defined]
    assert path.read_bytes() == payload


def test_receive_upload_limits(tmp_path: Path) -> None:
    body = _multipart([("file", "data.csv", b"a" * 101)])
    with pytest.raises(UploadTooLarge):
        _receive(tmp_path, body, limit=100)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    _receive(tmp_path, _multipart([("file", "data.csv", b"a" * 100)]), limit=100)
    with pytest.raises(UploadTooLarge):
        _receive(tmp_path, b"", limit=100, content_length=100 + 64 * 1024 + 1)


def test_receive_upload_refusals(tmp_path: Path) -> None:
    with pytest.raises(UploadError, match="no file"):
        _receive(tmp_path, _multipart([("other", None, b"1")]))
    with pytest.raises(UploadError, match="ended early"):
        _receive(tmp_path, _multipart([("file", "data.csv", b"abc")])[:-10])

    def refuse(head: bytes) -> None:
        raise LookupError(head)

    with pytest.raises(LookupError):
        _receive(tmp_path, _multipart([("file", "data.csv", b"short")]), check_head=refuse)


def test_sniff() -> None:
    assert sniff(b"PK\x03\x04rest") == "xlsx"
    assert sniff("номер,дата".encode()) == "csv"
    assert sniff("номер".encode()[:-1]) == "csv"  # a character cut at the end of the sample
    assert sniff(b"\x00\x01") is None
    assert sniff(b"\xff\xfe\xfa rest of it") is None


def test_xlsx_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    rows = [(1, "Молоко", True, None, 2.5), (2, "=1+1", False, "https://x.example", None)]
    assert write_xlsx(path, ["n", "name", "flag", "url", "x"], iter(rows), sheet_name="Лист") == 2
    table = read_table(path, "xlsx")
    assert (table.header, table.total) == (["n", "name", "flag", "url", "x"], 2)
    assert list(table.rows) == [
        (2, {"n": 1, "name": "Молоко", "flag": True, "url": None, "x": 2.5}),
        (3, {"n": 2, "name": "=1+1", "flag": False, "url": "https://x.example", "x": None}),
    ]


def test_csv_round_trip_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    with open_csv_writer(path) as handle:
        assert (
            write_csv(handle, [" a ", "b"], [("1", 'с "кавычками",\nи строкой'), ("", ""), ("2", None)]) == 3
        )
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf a ,b\r\n1,")
    table = read_table(path, "csv")
    assert (table.header, table.total) == (["a", "b"], 3)
    assert list(table.rows) == [(2, {"a": "1", "b": 'с "кавычками",\nи строкой'}), (4, {"a": "2", "b": ""})]


def test_reading_a_broken_xlsx_is_a_value_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    with pytest.raises(ValueError, match="не удалось прочитать xlsx"):
        read_table(path, "xlsx")


def test_dates_are_written_as_given(tmp_path: Path) -> None:
    path = tmp_path / "d.xlsx"
    write_xlsx(path, ["d"], [(dt.date(2025, 1, 2),)])
    assert list(read_table(path, "xlsx").rows) == [(2, {"d": 45659.0})]
