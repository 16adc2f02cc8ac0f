"""Local file storage: id-named paths, atomic writes, uploads streamed to disk under a size limit.

Paths are built only from a UUID and a short alphanumeric extension, never from a user's file name,
so nothing a client sends can steer a write outside the store. A file is written under a temporary
name in its final directory and renamed into place when complete: readers see a whole file or none.
"""

from __future__ import annotations

import os
import re
import time
import unicodedata
import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import BinaryIO
from urllib.parse import quote

import anyio.to_thread
from python_multipart.multipart import MultipartParser, parse_options_header

from opsuite.core.text import transliterate

_EXT = re.compile(r"^[a-z0-9]{1,10}$")
TEMP_PREFIX = ".tmp-"
WRITE_BUFFER = 1024 * 1024  # upload bytes gathered before one write on a worker thread
FIELD_LIMIT = 16 * 1024  # a non-file form field larger than this is refused
MAX_PARTS = 16  # parts (fields and files) one upload may hold
MULTIPART_SLACK = 64 * 1024  # allowance over the file limit for boundaries, part headers and small fields

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class UploadError(Exception):
    """The upload is malformed or lacks the file field."""


class UploadTooLarge(UploadError):
    """The upload is larger than the limit; raised as soon as that is known."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"upload larger than {limit} bytes")
        self.limit = limit


class FormTooLarge(UploadTooLarge):
    """The form around the file is too big: `kind` is "parts" (too many) or "field" (one too long)."""

    def __init__(self, kind: str, limit: int) -> None:
        super().__init__(limit)
        self.kind = kind
        self.args = (
            f"more than {limit} form parts" if kind == "parts" else f"a form field over {limit} bytes",
        )


def media_type(ext: str) -> str:
    """The Content-Type of a stored file by its extension."""
    return MEDIA_TYPES.get(ext, "application/octet-stream")


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback name and the UTF-8 name in RFC 5987 `filename*`.

    The fallback transliterates Cyrillic (`Отчёт` -> `Otchet`) and drops accents; what is left outside
    printable ASCII becomes `_`.
    """
    decomposed = unicodedata.normalize("NFKD", transliterate(filename))
    fallback = "".join(
        ch if " " <= ch < "\x7f" and ch not in '"\\' else "_"
        for ch in decomposed
        if not unicodedata.combining(ch)
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _check_ext(ext: str) -> str:
    if not _EXT.match(ext):
        raise ValueError(f"bad file extension {ext!r}")
    return ext


class AtomicFile:
    """A file being written under a temporary name; `commit()` renames it into place, else it is removed."""

    def __init__(self, final: Path) -> None:
        self.final = final
        final.parent.mkdir(parents=True, exist_ok=True)
        self.path = final.with_name(f"{TEMP_PREFIX}{uuid.uuid4().hex}-{final.name}")
        self._file: BinaryIO | None = None
        self.committed = False

    @property
    def file(self) -> BinaryIO:
        """The temporary file opened for binary writing (opened on first use)."""
        if self._file is None:
            self._file = self.path.open("wb")
        return self._file

    def commit(self) -> int:
        """Flush, sync and rename into place; returns the size in bytes."""
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
        elif not self.path.exists():
            self.path.touch()
        size = self.path.stat().st_size
        os.replace(self.path, self.final)
        self.committed = True
        return size

    def abort(self) -> None:
        """Drop the temporary file."""
        if self._file is not None:
            self._file.close()
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if not self.committed:
            self.abort()


class FileStore:
    """Files under `root`, named `<id[:2]>/<id>.<ext>`."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def relative(self, file_id: uuid.UUID, ext: str) -> str:
        """The store-relative path of a file: only the id's hex digits and the extension."""
        hexid = file_id.hex
        return f"{hexid[:2]}/{hexid}.{_check_ext(ext)}"

    def resolve(self, relative: str) -> Path:
        """The absolute path of a store-relative path; refuses anything that leaves the store."""
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root) or path == self.root:
            raise ValueError(f"path {relative!r} is outside the store")
        return path

    def writer(self, file_id: uuid.UUID, ext: str) -> AtomicFile:
        """An atomic writer of the file `file_id.ext`."""
        return AtomicFile(self.resolve(self.relative(file_id, ext)))

    def write_chunks(
        self, file_id: uuid.UUID, ext: str, chunks: Iterable[bytes], *, limit: int | None = None
    ) -> int:
        """Write `chunks` atomically, refusing (and removing) the file once it grows past `limit`."""
        with self.writer(file_id, ext) as target:
            size = 0
            for chunk in chunks:
                size += len(chunk)
                if limit is not None and size > limit:
                    raise UploadTooLarge(limit)
                target.file.write(chunk)
            return target.commit()

    def open(self, relative: str) -> BinaryIO:
        """Open a stored file for reading."""
        return self.resolve(relative).open("rb")

    def exists(self, relative: str) -> bool:
        """True when the stored file is present."""
        return self.resolve(relative).is_file()

    def delete(self, relative: str) -> bool:
        """Remove a stored file; False when it was already gone."""
        try:
            self.resolve(relative).unlink()
        except FileNotFoundError:
            return False
        return True

    def files_older_than(self, cutoff: float) -> list[Path]:
        """Stored and temporary files last modified before the Unix time `cutoff`."""
        found = []
        for path in self._walk():
            try:
                if path.stat().st_mtime < cutoff:
                    found.append(path)
            except FileNotFoundError:
                continue
        return found

    def delete_older_than(self, seconds: float, *, now: float | None = None) -> int:
        """Remove files (and abandoned temporary files) not modified for `seconds`; returns how many."""
        cutoff = (time.time() if now is None else now) - seconds
        removed = 0
        for path in self.files_older_than(cutoff):
            path.unlink(missing_ok=True)
            removed += 1
        return removed

    def _walk(self) -> Iterator[Path]:
        if not self.root.is_dir():
            return
        for directory in self.root.iterdir():
            if directory.is_dir():
                yield from (path for path in directory.iterdir() if path.is_file())


@dataclass
class ReceivedUpload:
    """What a multipart upload held: the file's client name and size, its first bytes, the other fields."""

    filename: str
    size: int
    head: bytes
    fields: dict[str, str] = field(default_factory=dict)


HEAD_BYTES = 16


async def receive_upload(
    chunks: AsyncIterator[bytes],
    content_type: str,
    *,
    file_field: str,
    open_file: Callable[[str], BinaryIO],
    limit: int,
    content_length: int | None = None,
    check_head: Callable[[bytes], None] | None = None,
) -> ReceivedUpload:
    """Parse a multipart body as it arrives, writing the `file_field` part through `open_file(filename)`.

    Refuses a `Content-Length` over `limit` plus a small allowance before reading anything, then counts
    while the body streams (with or without a Content-Length) and stops at the first byte past a cap:
    the file past `limit`, the whole body past `limit` plus the allowance (UploadTooLarge), more than
    MAX_PARTS parts or a field past FIELD_LIMIT (FormTooLarge); python-multipart bounds part headers.
    `open_file` may raise to refuse a file by its name; `check_head` sees the first bytes and may raise
    to refuse the content. The body is never held in memory beyond one write buffer.
    """
    request_limit = limit + MULTIPART_SLACK
    if content_length is not None and content_length > request_limit:
        raise UploadTooLarge(limit)
    mime, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if mime != b"multipart/form-data" or not boundary:
        raise UploadError("expected multipart/form-data with a boundary")
    parser = _Parser(boundary)
    upload: ReceivedUpload | None = None
    fields: dict[str, str] = {}
    target: BinaryIO | None = None
    buffer = bytearray()
    head = bytearray()
    head_checked = False

    async def flush() -> None:
        if target is not None and buffer:
            data = bytes(buffer)
            buffer.clear()
            await anyio.to_thread.run_sync(target.write, data)

    ours = False  # the part being read is the accepted file
    received = 0
    async for chunk in chunks:
        received += len(chunk)
        if received > request_limit:
            raise UploadTooLarge(limit)
        for kind, name, filename, data in parser.feed(chunk):
            if kind == "begin":
                ours = name == file_field and filename is not None and upload is None
                if ours and filename is not None:
                    upload = ReceivedUpload(filename=filename, size=0, head=b"", fields=fields)
                    target = open_file(filename)
            elif kind == "data" and ours and upload is not None:
                upload.size += len(data)
                if upload.size > limit:
                    raise UploadTooLarge(limit)
                if not head_checked:
                    head += data[: HEAD_BYTES - len(head)]
                    if len(head) >= HEAD_BYTES and check_head is not None:
                        check_head(bytes(head))
                        head_checked = True
                buffer += data
                if len(buffer) >= WRITE_BUFFER:
                    await flush()
            elif kind == "field":
                fields[name] = data.decode("utf-8", "replace")
            elif kind == "end_file":
                ours = False
    await flush()
    if not parser.finished:
        raise UploadError("the multipart body ended early")
    if upload is None:
        raise UploadError(f"no file in field {file_field!r}")
    upload.head = bytes(head)
    if not head_checked and check_head is not None:
        check_head(upload.head)
    return upload


_Event = tuple[str, str, str | None, bytes]


class _Parser:
    """python-multipart's push parser turned into a list of events per fed chunk."""

    def __init__(self, boundary: bytes) -> None:
        self.events: list[_Event] = []
        self.finished = False
        self._parts = 0
        self._header_field = bytearray()
        self._header_value = bytearray()
        self._headers: dict[bytes, bytes] = {}
        self._name = ""
        self._filename: str | None = None
        self._field = bytearray()
        self._parser = MultipartParser(
            boundary,
            {
                "on_part_begin": self._part_begin,
                "on_part_data": self._part_data,
                "on_part_end": self._part_end,
                "on_header_field": self._header_field_data,
                "on_header_value": self._header_value_data,
                "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished,
                "on_end": self._end,
            },
        )

    def feed(self, chunk: bytes) -> list[_Event]:
        self.events = []
        try:
            self._parser.write(chunk)
        except UploadError:
            raise
        except Exception as exc:
            raise UploadError(f"malformed multipart body: {exc}") from exc
        return self.events

    def _part_begin(self) -> None:
        self._parts += 1
        if self._parts > MAX_PARTS:
            raise FormTooLarge("parts", MAX_PARTS)
        self._headers = {}
        self._name = ""
        self._filename = None
        self._field.clear()

    def _header_field_data(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def _header_value_data(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        self._headers[bytes(self._header_field).lower()] = bytes(self._header_value)
        self._header_field.clear()
        self._header_value.clear()

    def _headers_finished(self) -> None:
        _disposition, options = parse_options_header(self._headers.get(b"content-disposition"))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        raw_filename = options.get(b"filename")
        self._filename = None if raw_filename is None else raw_filename.decode("utf-8", "replace")
        self.events.append(("begin", self._name, self._filename, b""))

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._filename is not None:
            self.events.append(("data", self._name, self._filename, data[start:end]))
            return
        self._field += data[start:end]
        if len(self._field) > FIELD_LIMIT:
            raise FormTooLarge("field", FIELD_LIMIT)

    def _part_end(self) -> None:
        if self._filename is None:
            self.events.append(("field", self._name, None, bytes(self._field)))
        else:
            self.events.append(("end_file", self._name, self._filename, b""))

    def _end(self) -> None:
        self.finished = True
