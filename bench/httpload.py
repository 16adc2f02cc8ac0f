"""A small closed-loop HTTP/1.1 load generator on raw asyncio sockets, cheap enough not to be the limit."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

try:
    import uvloop

    LOOP_FACTORY: Callable[[], Any] | None = uvloop.new_event_loop
except ImportError:  # the client works on the stock loop too, only slower
    LOOP_FACTORY = None


def request_bytes(path: str, headers: dict[str, str] | None = None) -> bytes:
    """A keep-alive GET request for `path`."""
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", "Accept: application/json"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    await reader.readexactly(length)
    return status


async def _client(port: int, request: bytes, deadline: float, done: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < deadline:
            writer.write(request)
            status = await _response(reader)
            if status != 200:
                raise RuntimeError(f"HTTP {status} during the benchmark")
            done[0] += 1
    finally:
        writer.close()
        await writer.wait_closed()


async def _run(port: int, request: bytes, seconds: float, connections: int) -> tuple[int, float]:
    done = [0]
    start = time.perf_counter()
    deadline = start + seconds
    await asyncio.gather(*(_client(port, request, deadline, done) for _ in range(connections)))
    return done[0], time.perf_counter() - start


def run(port: int, request: bytes, seconds: float, connections: int) -> tuple[int, float]:
    """Requests answered and seconds taken: `connections` keep-alive connections in a closed loop."""
    with asyncio.Runner(loop_factory=LOOP_FACTORY) as runner:
        return runner.run(_run(port, request, seconds, connections))
