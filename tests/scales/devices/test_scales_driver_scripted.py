"""The driver against a scripted server that answers with hand-made frames a simulator would never send."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from opsuite.scales.devices import protocol as p
from opsuite.scales.devices.interface import (
    ConnectionParams,
    ScaleError,
    ScaleFileRejectedError,
    ScaleProtocolError,
    ScaleResultError,
)
from opsuite.scales.devices.mertech import MertechScale

Run = Callable[[Coroutine[Any, Any, Any]], Any]
Script = Callable[[p.Request], bytes]

FILE = b'{"products":[{"id":1,"name":"\xd0\xa1\xd1\x8b\xd1\x80"}]}'
READ = p.CMD_READ_FILE
WRITE = p.CMD_WRITE_PRODUCT_FILE


def download_script(*, chunks: list[p.Chunk], hash_replies: Iterator[bytes] | None = None) -> Script:
    """A scale that prepares at once and serves the given chunks in order."""
    served = iter(chunks)

    def answer(request: p.Request) -> bytes:
        stage = request.params[4] if len(request.params) > 4 else None
        if request.command == READ and stage == p.STAGE_HASH_STATUS:
            if hash_replies is not None:
                return next(hash_replies)
            return p.build_reply(READ, 0, p.hash_status_data(p.md5_digest(FILE)))
        if request.command == READ and stage == p.STAGE_CHUNK:
            return p.build_reply(READ, 0, p.download_chunk_data(next(served)))
        return p.build_reply(request.command, 0)

    return answer


def upload_script(check_reply: bytes) -> Script:
    def answer(request: p.Request) -> bytes:
        if request.params[4:5] == bytes((p.STAGE_CHECK,)):
            return check_reply
        return p.build_reply(request.command, 0)

    return answer


@asynccontextmanager
async def scripted_scale(script: Script) -> Any:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                size = p.frame_size(await reader.readexactly(4))
                writer.write(script(p.parse_request(await reader.readexactly(size))))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    params = ConnectionParams(
        host="127.0.0.1", port=server.sockets[0].getsockname()[1], password="1234", timeout=1.0, deadline=3.0
    )
    try:
        yield MertechScale(params, poll_interval=0.01)
    finally:
        server.close()


def expect(run: Run, script: Script, action: str, kind: type[ScaleError], match: str) -> None:
    async def scenario() -> None:
        async with scripted_scale(script) as scale:
            call = scale.fetch_products() if action == "fetch" else scale.push_products({"products": []})
            with pytest.raises(kind, match=match):
                await call

    run(scenario())


def test_download_in_two_chunks_with_hash_still_in_progress(run: Run) -> None:
    hash_replies = iter(
        [
            p.build_reply(READ, p.RC_IN_PROGRESS),
            p.build_reply(READ, 0, p.hash_status_data(p.md5_digest(FILE))),
        ]
    )
    script = download_script(
        chunks=[p.Chunk(0, FILE[:10], False), p.Chunk(10, FILE[10:], True)], hash_replies=hash_replies
    )

    async def scenario() -> None:
        async with scripted_scale(script) as scale:
            assert await scale.fetch_products() == {"products": [{"id": 1, "name": "Сыр"}]}

    run(scenario())


def test_chunk_at_the_wrong_offset(run: Run) -> None:
    script = download_script(chunks=[p.Chunk(0, FILE[:10], False), p.Chunk(11, FILE[11:], True)])
    expect(run, script, "fetch", ScaleProtocolError, "offset 11, expected 10")


def test_empty_chunk_before_the_end(run: Run) -> None:
    script = download_script(chunks=[p.Chunk(0, b"", False)] * 3)
    expect(run, script, "fetch", ScaleProtocolError, "empty chunk")


def test_file_that_is_not_json(run: Run) -> None:
    body = b"not json"
    hashes = iter([p.build_reply(READ, 0, p.hash_status_data(p.md5_digest(body)))])
    script = download_script(chunks=[p.Chunk(0, body, True)], hash_replies=hashes)
    expect(run, script, "fetch", ScaleProtocolError, "not UTF-8 JSON")


def test_empty_file_result_code(run: Run) -> None:
    def script(request: p.Request) -> bytes:
        return p.build_reply(request.command, p.RC_FILE_EMPTY if request.command == READ else 0)

    expect(run, script, "fetch", ScaleResultError, r"171 \(Запрашиваемый файл пуст\) to FF 12")


def test_reply_echoing_another_command(run: Run) -> None:
    def script(request: p.Request) -> bytes:
        return p.build_reply(p.CMD_POLL_PRODUCT_FILE, 0)

    expect(run, script, "fetch", ScaleProtocolError, "echoes FF 15, expected FF 14")


def test_reply_with_a_corrupt_length_byte(run: Run) -> None:
    def script(request: p.Request) -> bytes:
        frame = bytearray(p.build_reply(request.command, 0))
        frame[5] += 1
        return bytes(frame)

    expect(run, script, "fetch", ScaleProtocolError, "length byte")


def test_absurd_frame_length(run: Run) -> None:
    def script(request: p.Request) -> bytes:
        return (10**9).to_bytes(4, "little")

    expect(run, script, "push", ScaleProtocolError, "out of range")


def test_rejection_message_is_not_lost(run: Run) -> None:
    reply = p.build_reply(WRITE, 0, p.check_status_data(p.CHECK_REJECTED, "Дублирующийся PLU 15"))
    expect(run, upload_script(reply), "push", ScaleFileRejectedError, "Дублирующийся PLU 15")


def test_unknown_check_state_does_not_spin(run: Run) -> None:
    reply = p.build_reply(WRITE, 0, p.check_status_data(5))
    expect(run, upload_script(reply), "push", ScaleProtocolError, "unknown upload check state 5")


def test_check_state_in_short_form(run: Run) -> None:
    async def scenario() -> None:
        async with scripted_scale(upload_script(p.build_reply(WRITE, 0, b"\x00"))) as scale:
            await scale.push_products({"products": []})

    run(scenario())


def test_non_serialisable_push_fails_before_connecting(run: Run) -> None:
    async def scenario() -> None:
        params = ConnectionParams(host="127.0.0.1", port=1, password="1234")
        with pytest.raises(TypeError):
            await MertechScale(params).push_products({"products": [{1, 2}]})

    run(scenario())


def test_chunk_size_outside_protocol_is_refused() -> None:
    params = ConnectionParams(host="127.0.0.1", password="1234")
    with pytest.raises(ValueError, match="chunk size"):
        MertechScale(params, chunk_size=60001)
