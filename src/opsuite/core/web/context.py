"""Request context for every system: a request id in and out, one access-log line and a metric per request."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import defaultdict

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from opsuite.core.logs import request_id_var

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
    """Pure ASGI middleware: request id in and out, one access-log line and a metric per request."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(REQUEST_ID_HEADER, b"").decode("latin-1")
        request_id = incoming[:64] if incoming else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (REQUEST_ID_HEADER, request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            path = getattr(route, "path", None) or "unmatched"
            self.metrics.observe(scope["method"], path, status, elapsed)
            if access_log.isEnabledFor(logging.INFO):
                access_log.info(
                    "%s %s %s %.1fms",
                    scope["method"],
                    scope["path"],
                    status,
                    elapsed * 1000,
                    extra={
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status,
                        "duration_ms": round(elapsed * 1000, 2),
                    },
                )
            request_id_var.reset(token)
