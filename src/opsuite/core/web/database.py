"""The database as the web layer sees it: health, a startup check, and 503 when it is busy or down."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from opsuite.core.capacity import DatabaseBusy
from opsuite.core.db import Database

error_log = logging.getLogger("opsuite.errors")


def health_response(system: str, database: Database, *, on_loop: bool = False) -> JSONResponse:
    """200 when the database answers, 503 otherwise."""
    body: dict[str, Any] = {"system": system, "status": "ok", "database": "ok"}
    problem = database_problem(database, on_loop=on_loop)
    if problem is not None:
        body.update(status="degraded", database=f"error: {problem[0]}")
        return JSONResponse(body, status_code=503)
    return JSONResponse(body)


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
