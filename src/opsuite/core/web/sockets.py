"""WebSocket helpers: authenticate a socket by its `?token=` before accepting it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from starlette.status import WS_1008_POLICY_VIOLATION
from starlette.websockets import WebSocket

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
