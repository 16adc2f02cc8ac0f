"""core.files.receive_upload caps the whole body, the number of parts and each field
while streaming, whatever the Content-Length says (or when there is none)."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Iterator
from typing import BinaryIO

import anyio
import pytest

from opsuite.core.files import (
    FIELD_LIMIT,
    MAX_PARTS,
    MULTIPART_SLACK,
    FormTooLarge,
    UploadTooLarge,
    receive_upload,
)


def _part(name: str, data: bytes, filename: str | None = None, extra_header: str = "") -> bytes:
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
    return f"--XyZ\r\nContent-Disposition: {disposition}\r\n{extra_header}\r\n".encode() + data + b"\r\n"


def _body(*parts: bytes) -> bytes:
    return b"".join(parts) + b"--XyZ--\r\n"


class Counted:
    """Chunks handed out one by one, counting how many bytes the parser asked for."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks = chunks
        self.sent = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            self.sent += len(chunk)
            yield chunk


def _pieces(data: bytes, size: int = 4096) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def _receive(source: Counted, *, limit: int = 1000) -> object:
    sink = io.BytesIO()

    def open_file(_filename: str) -> BinaryIO:
        return sink

    async def run() -> object:
        return await receive_upload(
            source.__aiter__(),
            "multipart/form-data; boundary=XyZ",
            file_field="file",
            open_file=open_file,
            limit=limit,
        )

    return anyio.run(run)


def test_too_many_parts_stop_the_read_at_the_first_part_too_many() -> None:
    fields = [_part(f"f{n}", b"1") for n in range(3000)]
    source = Counted(_pieces(_body(_part("file", b"data", "a.csv"), *fields)))
    with pytest.raises(FormTooLarge) as caught:
        _receive(source)
    assert (caught.value.kind, caught.value.limit) == ("parts", MAX_PARTS)
    assert source.sent < 8192


def test_a_field_over_its_limit_is_refused_while_it_streams() -> None:
    source = Counted(_pieces(_body(_part("note", b"x" * (60 * 1024)), _part("file", b"data", "a.csv"))))
    with pytest.raises(FormTooLarge) as caught:
        _receive(source, limit=10 * 1024 * 1024)
    assert (caught.value.kind, caught.value.limit) == ("field", FIELD_LIMIT)
    assert source.sent <= FIELD_LIMIT + 2 * 4096


def test_the_whole_body_is_capped_even_in_parts_nobody_reads() -> None:
    limit = 1000
    other = _part("other", b"y" * (10 * MULTIPART_SLACK), "big.bin")
    source = Counted(_pieces(_body(_part("file", b"data", "a.csv"), other)))
    with pytest.raises(UploadTooLarge) as caught:
        _receive(source, limit=limit)
    assert not isinstance(caught.value, FormTooLarge)
    assert limit + MULTIPART_SLACK < source.sent <= limit + MULTIPART_SLACK + 4096
