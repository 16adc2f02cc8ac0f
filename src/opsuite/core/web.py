"""App helpers shared by every system: request id, access log, metrics, health, CORS."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse
from fastapi.routing import APIRoute
from sqlalchemy import text
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from opsuite.core.capacity import DatabaseBusy
from opsuite.core.db import Database
from opsuite.core.limits import DEFAULT_BODY_LIMIT, BodyLimitMiddleware
from opsuite.core.logs import request_id_var
from opsuite.core.text import refuse_unsafe_url

access_log = logging.getLogger("opsuite.access")
error_log = logging.getLogger("opsuite.errors")

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


def install_common(
    app: FastAPI,
    *,
    system: str,
    database: Callable[[], Database],
    cors_origins: list[str],
    body_limit: int = DEFAULT_BODY_LIMIT,
) -> Metrics:
    """Add request context, CORS, a body limit, `/metrics` and `/health` to a system's app."""
    metrics = Metrics(system)
    app.add_middleware(BodyLimitMiddleware, limit=body_limit)
    app.router.dependencies.append(Depends(refuse_unsafe_url))  # routes added from here on
    if cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=cors_origins,
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["*"],
        )
    app.add_middleware(RequestContextMiddleware, metrics=metrics)
    app.add_middleware(DatabaseStartupCheck, system=system, database=database)

    @app.get("/metrics", include_in_schema=False)
    def metrics_endpoint() -> PlainTextResponse:
        return PlainTextResponse(metrics.render(), media_type="text/plain; version=0.0.4")

    @app.get("/health", tags=["health"], summary="Liveness and database check")
    async def health() -> JSONResponse:
        checked = database()
        if checked.is_sqlite:  # `SELECT 1` over the loop's own connection: bounded, and no thread to wait for
            return health_response(system, checked, on_loop=True)
        return await anyio.to_thread.run_sync(health_response, system, checked)

    return metrics


def health_response(system: str, database: Database, *, on_loop: bool = False) -> JSONResponse:
    """200 when the database answers, 503 otherwise."""
    body: dict[str, Any] = {"system": system, "status": "ok", "database": "ok"}
    problem = database_problem(database, on_loop=on_loop)
    if problem is not None:
        body.update(status="degraded", database=f"error: {problem[0]}")
        return JSONResponse(body, status_code=503)
    return JSONResponse(body)


class FlatRoute(APIRoute):
    """An API route whose 405 names every method its path accepts, not only its own.

    A flat table holds one route per method of a path; Starlette answers a wrong method with the first
    route that matched the path, whose `Allow` would list that route's methods alone.
    """

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer the route; a method it lacks is a 405 listing all the path's methods."""
        if self.methods and scope["method"] not in self.methods and "app" in scope:
            allow = ", ".join(path_methods(scope["app"].router.routes, self.path))
            raise StarletteHTTPException(status_code=405, headers={"Allow": allow})
        await super().handle(scope, receive, send)


def path_methods(routes: list[BaseRoute], path: str) -> list[str]:
    """Every method that some route of `path` accepts, sorted."""
    methods: set[str] = set()
    for route in routes:
        if isinstance(route, Route) and route.path == path and route.methods:
            methods |= route.methods
    return sorted(methods)


def database_problem(database: Database, *, on_loop: bool = False) -> tuple[str, str] | None:
    """None when the database answers `SELECT 1`, else the error's class name and first line."""
    try:
        with database.loop_read_sessions() if on_loop else database.read_sessions() as session:
            session.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means the database is down for this check
        return type(exc).__name__, _first_line(exc)
    return None


def _first_line(exc: BaseException) -> str:
    # The driver's own message, without SQLAlchemy's appended SQL and parameters (they may hold secrets).
    origin = getattr(exc, "orig", None) or exc
    lines = str(origin).strip().splitlines()
    return lines[0] if lines else type(origin).__name__


class DatabaseUnavailable(RuntimeError):
    """The database did not answer when the server started."""


class DatabaseStartupCheck:
    """Pure ASGI middleware: the lifespan fails with one line when the database does not answer.

    Without it a server says "startup complete" and then answers every request with an error.
    """

    def __init__(self, app: ASGIApp, system: str, database: Callable[[], Database]) -> None:
        self.app = app
        self.system = system
        self.database = database

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return
        startup = await receive()
        database = self.database()
        problem = await anyio.to_thread.run_sync(database_problem, database)
        if problem is not None:
            where = database.engine.url.render_as_string(hide_password=True)
            line = f"{self.system}: the database does not answer ({where}): {problem[0]}: {problem[1]}"
            await send({"type": "lifespan.startup.failed", "message": line})
            # Raised as Starlette's own lifespan does after a failed startup: uvicorn has logged the line
            # and exits quietly, a test client raises it.
            raise DatabaseUnavailable(line)
        replayed = False

        async def receive_again() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return startup
            return await receive()

        await self.app(scope, receive_again, send)


def unavailable_response(database: Database, exc: BaseException, *, busy: str, down: str) -> JSONResponse:
    """503 with `Retry-After`: `busy` for a saturated pool, `down` for a failing database, as `{"detail"}`."""
    reason = _first_line(exc)
    # SQLite's busy timeout running out is saturation, not an outage.
    saturated = isinstance(exc, DatabaseBusy | PoolTimeout) or "database is locked" in reason
    if not saturated:
        error_log.warning("database unavailable: %s: %s", type(exc).__name__, reason)
    headers = {"Retry-After": str(database.gate.retry_after_seconds)}
    return JSONResponse({"detail": busy if saturated else down}, status_code=503, headers=headers)


def install_database_errors(app: FastAPI, database: Callable[[], Database], *, busy: str, down: str) -> None:
    """Answer a saturated pool or a failing database with 503 and `Retry-After`, in the system's language."""

    async def unavailable(_request: Request, exc: Exception) -> JSONResponse:
        return unavailable_response(database(), exc, busy=busy, down=down)

    for error in (DatabaseBusy, PoolTimeout, OperationalError, InterfaceError):
        app.add_exception_handler(error, unavailable)


def include_flat(
    app: FastAPI,
    router: APIRouter,
    *,
    prefix: str = "",
    responses: dict[int | str, Any] | None = None,
    in_schema: bool = True,
) -> None:
    """Copy `router`'s routes into the app's own route table, under `prefix`.

    FastAPI (0.160+) keeps an included router as a nested node and matches every level again on each
    request; with ~90 routes that cost about a third of a small request's CPU time. A flat table is
    matched once, as `include_router` used to do. `in_schema=False` mounts an alias (an old prefix, say)
    that stays out of the OpenAPI document.
    """
    for route in router.routes:
        if not isinstance(route, APIRoute):
            raise TypeError(f"include_flat copies API routes only, not {route!r}")
        app.router.add_api_route(
            prefix + route.path,
            route.endpoint,
            response_model=route.response_model,
            status_code=route.status_code,
            tags=route.tags,
            dependencies=route.dependencies,
            summary=route.summary,
            description=route.description,
            response_description=route.response_description,
            responses={**(responses or {}), **route.responses},
            deprecated=route.deprecated,
            methods=route.methods,
            operation_id=route.operation_id,
            include_in_schema=route.include_in_schema and in_schema,
            response_class=route.response_class,
            response_model_exclude_none=route.response_model_exclude_none,
            name=route.name if in_schema else f"{prefix}:{route.name}",
            openapi_extra=route.openapi_extra,
            route_class_override=FlatRoute,
        )
