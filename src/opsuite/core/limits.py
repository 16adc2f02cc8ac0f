"""Request body limit: one pure-ASGI middleware counting bytes as they stream, with per-route caps.

The limit is checked when the endpoint first reads the body, after routing, so a route that takes uploads
can declare a larger cap with `@body_limit(n)`. A `Content-Length` over the cap is refused before any byte
is read; a body without one (chunked) is counted while it streams and refused at the first byte past the
cap, so nothing larger than the cap is ever held. The refusal is `BodyTooLarge`, a 413 HTTPException that
FastAPI passes to each system's own handler, which words it in the system's envelope.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MiB = 1024 * 1024
DEFAULT_BODY_LIMIT = 1 * MiB
ROUTE_LIMIT_ATTRIBUTE = "__opsuite_body_limit__"

_F = TypeVar("_F", bound=Callable[..., Any])
RouteLimit = int | Callable[[Scope], int]
"""A route's cap: bytes, or a function of the request scope (to read it from the app's settings)."""


class BodyTooLarge(HTTPException):
    """413: the request body is larger than the route's limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"Request body larger than {limit} bytes")
        self.limit = limit


def body_limit(limit: RouteLimit) -> Callable[[_F], _F]:
    """Declare a route's own body cap (an upload route's, say) instead of the app's default."""

    def mark(endpoint: _F) -> _F:
        setattr(endpoint, ROUTE_LIMIT_ATTRIBUTE, limit)
        return endpoint

    return mark


def route_limit(scope: Scope, default: int) -> int:
    """The cap of the route the router matched into `scope`, else `default`."""
    endpoint = scope.get("endpoint")
    limit = getattr(endpoint, ROUTE_LIMIT_ATTRIBUTE, None)
    if callable(limit):
        limit = limit(scope)
    return limit if isinstance(limit, int) else default


def declared_length(scope: Scope) -> int | None:
    """The request's `Content-Length` as a number, or None when absent or not a number."""
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


class BodyLimitMiddleware:
    """Refuse request bodies over `limit` bytes (or the matched route's declared cap) with 413."""

    def __init__(self, app: ASGIApp, limit: int = DEFAULT_BODY_LIMIT) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap: int | None = None
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal cap, received
            if cap is None:
                # First read: routing has run, so the endpoint (and its declared cap) is in the scope.
                cap = route_limit(scope, self.limit)
                length = declared_length(scope)
                if length is not None and length > cap:
                    raise BodyTooLarge(cap)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > cap:
                    raise BodyTooLarge(cap)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge as exc:
            # Raised where no exception handler sees it (a body read outside an endpoint): answer plainly.
            if started:
                raise
            await _send_json(send, 413, b'{"detail":"' + exc.detail.encode() + b'"}')


async def _send_json(send: Send, status: int, body: bytes) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
