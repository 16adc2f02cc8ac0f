"""Frames over asyncio streams, shared by the gateway and the simulator."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable
from typing import TypeVar

from opsuite.core.clock import Clock
from opsuite.powerbank.devices.protocol import Frame, FrameDecoder

T = TypeVar("T")

READ_SIZE = 4096


class FrameStream:
    """Reads whole frames from a stream, however the bytes were split or coalesced in transit."""

    def __init__(self, reader: asyncio.StreamReader) -> None:
        self._reader = reader
        self._decoder = FrameDecoder()
        self._ready: deque[Frame] = deque()

    async def next(self, timeout: float) -> Frame:
        """The next frame; TimeoutError past `timeout` real seconds without one, ConnectionError at EOF."""
        async with asyncio.timeout(timeout):
            while not self._ready:
                data = await self._reader.read(READ_SIZE)
                if not data:
                    raise ConnectionResetError("connection closed by the peer")
                self._ready.extend(self._decoder.feed(data))
        return self._ready.popleft()


async def send(writer: asyncio.StreamWriter, data: bytes, timeout: float) -> None:
    """Write `data`; ConnectionError if the peer does not take it within `timeout` real seconds."""
    writer.write(data)
    try:
        async with asyncio.timeout(timeout):
            await writer.drain()
    except TimeoutError:
        raise ConnectionResetError(f"peer took no data for {timeout} s") from None


def peer_name(writer: asyncio.StreamWriter) -> str:
    """`host:port` of the other end."""
    peer = writer.get_extra_info("peername")
    if isinstance(peer, tuple) and len(peer) >= 2:
        return f"{peer[0]}:{peer[1]}"
    return str(peer)


async def bounded(clock: Clock, seconds: float, awaitable: Awaitable[T]) -> T:
    """Await `awaitable` for at most `seconds` on `clock`; past that cancel it and raise TimeoutError."""
    task = asyncio.ensure_future(awaitable)
    timer = asyncio.ensure_future(clock.sleep(seconds))
    try:
        await asyncio.wait((task, timer), return_when=asyncio.FIRST_COMPLETED)
    finally:
        timer.cancel()
        late = not task.done()
        if late:
            task.cancel()
    if late:
        raise TimeoutError
    return task.result()
