"""The two live feeds over WebSocket: `?token=` checked before accepting, then the hub's frames of a topic."""

from __future__ import annotations

from starlette.status import WS_1011_INTERNAL_ERROR
from starlette.websockets import WebSocket

from opsuite.core.web.sockets import authenticate_websocket, stream_frames
from opsuite.weighbridge.runtime import WeighbridgeRuntime
from opsuite.weighbridge.users.tokens import user_from_token


async def serve_feed(websocket: WebSocket, topic: str) -> None:
    """Refuse a missing or bad token with 1008; else send every frame of `topic` until the client leaves."""
    runtime: WeighbridgeRuntime = websocket.app.state.runtime
    user = await authenticate_websocket(websocket, lambda token: user_from_token(runtime, token))
    if user is None:
        return
    hub = runtime.hub
    if hub is None:  # an app without its live hub cannot feed anyone
        await websocket.close(code=WS_1011_INTERNAL_ERROR)
        return
    await websocket.accept()
    with hub.subscribe(topic) as frames:
        await stream_frames(websocket, frames)
