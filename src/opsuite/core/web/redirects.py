"""A redirect that says where to go: clients that do not follow a 307 (curl, a POST) see why it came."""

from __future__ import annotations

import json
from collections.abc import Callable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class RedirectBodyMiddleware:
    """Pure ASGI middleware: an empty 307/308 answer gets a JSON body built by `body(location)`.

    Starlette answers a path without its trailing slash (or with one too many) with an empty 307; a client
    that does not follow it, as curl does not by default, prints nothing at all.
    """

    def __init__(self, app: ASGIApp, body: Callable[[str], dict[str, str]]) -> None:
        self.app = app
        self.body = body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        held: Message | None = None

        async def send_with_body(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start" and message["status"] in (307, 308):
                held = message
                return
            if held is not None and message["type"] == "http.response.body":
                start, held = held, None
                if not message.get("body") and not message.get("more_body", False):
                    headers = MutableHeaders(raw=list(start.get("headers", [])))
                    content = json.dumps(self.body(headers.get("location", "")), ensure_ascii=False).encode()
                    headers["content-type"] = "application/json"
                    headers["content-length"] = str(len(content))
                    start = {**start, "headers": headers.raw}
                    message = {**message, "body": content}
                await send(start)
            await send(message)

        await self.app(scope, receive, send_with_body)
