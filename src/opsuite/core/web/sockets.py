"""WebSocket helpers: authenticate a socket by its `?token=` before accepting it, stream a live feed to it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from typing import TypeVar

from starlette.status import WS_1008_POLICY_VIOLATION
from starlette.websockets import WebSocket, WebSocketDisconnect

from opsuite.core.realtime import Frame

T = TypeVar("T")

log = logging.getLogger(__name__)


async def authenticate_websocket(websocket: WebSocket, verify: Callable[[str], T | None]) -> T | None:
    """`verify(token)` for the `?token=` query value; a missing or refused token closes with 1008, gives None.

    Browsers cannot set headers on a WebSocket handshake, hence the query parameter. The caller accepts the
    socket when this returns an identity.
    """
    token = websocket.query_params.get("token")
    identity: T | None = None
    if token:
        try:
            identity = verify(token)
        except Exception as error:  # any failure to verify is a refusal, never a 500
            log.info("WebSocket token refused: %s: %s", type(error).__name__, error)
    if identity is None:
        await websocket.close(code=WS_1008_POLICY_VIOLATION)
    return identity


async def stream_frames(websocket: WebSocket, frames: AsyncIterator[Frame]) -> None:
    """Send every frame to an accepted socket until the client leaves or the frames end.

    The client's messages are read (and dropped) alongside, so a client that leaves is noticed at once, not at
    the next frame a quiet feed may take long to send.
    """

    async def send_all() -> None:
        async for frame in frames:
            await websocket.send_text(frame.text)

    async def until_gone() -> None:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return

    sending, listening = asyncio.create_task(send_all()), asyncio.create_task(until_gone())
    try:
        done, _pending = await asyncio.wait({sending, listening}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (sending, listening):
            task.cancel()
        await asyncio.gather(sending, listening, return_exceptions=True)
    for task in done:
        error = task.exception()
        if error is not None and not isinstance(error, WebSocketDisconnect):
            raise error
