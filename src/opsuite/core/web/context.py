"""Request context for every system: a request id in and out, one access-log line and a metric per request."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import defaultdict

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from opsuite.core.logs import request_id_var, system_var

access_log = logging.getLogger("opsuite.access")

REQUEST_ID_HEADER = b"x-request-id"


class Metrics:
    """Request counters and latency sums in Prometheus text format, per process."""

    def __init__(self, system: str) -> None:
        self.system = system
        self._lock = threading.Lock()
        self._count: dict[tuple[str, str, int], int] = defaultdict(int)
        self._seconds: dict[tuple[str, str], float] = defaultdict(float)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one finished request."""
        with self._lock:
            self._count[(method, route, status)] += 1
            self._seconds[(method, route)] += seconds

    def render(self) -> str:
        """The metrics as Prometheus exposition text."""
        lines = [
            "# HELP opsuite_http_requests_total HTTP requests by method, route and status.",
            "# TYPE opsuite_http_requests_total counter",
        ]
        with self._lock:
            counts = sorted(self._count.items())
            seconds = sorted(self._seconds.items())
        for (method, route, status), n in counts:
            labels = f'system="{self.system}",method="{method}",route="{route}",status="{status}"'
            lines.append(f"opsuite_http_requests_total{{{labels}}} {n}")
        lines += [
            "# HELP opsuite_http_request_seconds_sum Time spent answering, by method and route.",
            "# TYPE opsuite_http_request_seconds_sum counter",
        ]
        for (method, route), total in seconds:
            labels = f'system="{self.system}",method="{method}",route="{route}"'
            lines.append(f"opsuite_http_request_seconds_sum{{{labels}}} {total:.6f}")
        return "\n".join(lines) + "\n"


class RequestContextMiddleware:
    """Pure ASGI middleware: request id in and out, one access-log line and a metric per request or socket."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = system_var.set(self.metrics.system)
        try:
            if scope["type"] == "http":
                await self._http(scope, receive, send)
            elif scope["type"] == "websocket":
                await self._websocket(scope, receive, send)
            else:
                await self.app(scope, receive, send)
        finally:
            system_var.reset(token)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = _request_id(scope)
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                _add_request_id(message, request_id)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._finished(scope, scope["method"], status, time.perf_counter() - started, {"status": status})
            request_id_var.reset(token)

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = _request_id(scope)
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 403  # what the server answers a handshake the app neither accepts nor denies
        close_code: int | None = None

        async def send_with_id(message: Message) -> None:
            nonlocal status, close_code
            if message["type"] == "websocket.accept":
                status = 101
                _add_request_id(message, request_id)
            elif message["type"] == "websocket.http.response.start":
                status = message["status"]
                _add_request_id(message, request_id)
            elif message["type"] == "websocket.close" and close_code is None:
                close_code = message.get("code", 1000)
            await send(message)

        async def receive_close_code() -> Message:
            nonlocal close_code
            message = await receive()
            if message["type"] == "websocket.disconnect" and close_code is None:
                close_code = message.get("code", 1005)
            return message

        try:
            await self.app(scope, receive_close_code, send_with_id)
        except Exception:
            if close_code is None:  # the server closes the socket as an internal error
                close_code = 1011
            raise
        finally:
            code = close_code or 1000
            extra = {"status": status, "close_code": code}
            self._finished(scope, "WS", code, time.perf_counter() - started, extra)
            request_id_var.reset(token)

    def _finished(
        self, scope: Scope, method: str, outcome: int, elapsed: float, extra: dict[str, int]
    ) -> None:
        route = scope.get("route")
        path = getattr(route, "path", None) or "unmatched"
        self.metrics.observe(method, path, outcome, elapsed)
        if access_log.isEnabledFor(logging.INFO):
            access_log.info(
                "%s %s %s %.1fms",
                method,
                scope["path"],
                outcome,
                elapsed * 1000,
                extra={
                    "method": method,
                    "path": scope["path"],
                    **extra,
                    "duration_ms": round(elapsed * 1000, 2),
                },
            )


def _request_id(scope: Scope) -> str:
    incoming = dict(scope["headers"]).get(REQUEST_ID_HEADER, b"").decode("latin-1")
    return incoming[:64] if incoming else uuid.uuid4().hex


def _add_request_id(message: Message, request_id: str) -> None:
    message["headers"] = [*message.get("headers", []), (REQUEST_ID_HEADER, request_id.encode())]
