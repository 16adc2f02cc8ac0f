"""Capacity: a full pool or gate answers 503 with Retry-After, a database that is down answers 503, and a
server without its database fails at startup with one line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import TimeoutError as PoolTimeout
from tests.conftest import POSTGRES_ENV, service_url, unreachable_database_url

from opsuite.core.capacity import CapacitySettings, DatabaseBusy, Gate
from opsuite.core.db import Database
from opsuite.core.web import DatabaseUnavailable, install_common, install_database_errors

BUSY, DOWN = "busy, retry", "down, retry"


def _app(database: Database) -> FastAPI:
    app = FastAPI()
    install_common(app, system="demo", database=lambda: database, cors_origins=[])
    install_database_errors(app, lambda: database, busy=BUSY, down=DOWN)

    @app.get("/select")
    def select_one() -> int:
        with database.engine.connect() as conn:
            return int(conn.execute(text("SELECT 1")).scalar_one())

    @app.get("/hold")
    async def hold() -> str:
        async with database.gate.slot():
            await anyio.sleep(1.0)
        return "held"

    @app.get("/gated")
    async def gated() -> int:
        return await database.gate.run(select_one)

    return app


def _small(url: str, **limits: Any) -> Database:
    return Database(url, capacity=CapacitySettings(**{"pool_size": 1, "max_overflow": 0, **limits}))


def test_a_gate_refuses_after_its_wait_with_the_retry_delay() -> None:
    gate = Gate(slots=1, wait_seconds=0.2, retry_after_seconds=3)

    async def scenario() -> int:
        async with gate.slot():
            with pytest.raises(DatabaseBusy) as refused:
                async with gate.slot():
                    pass
        async with gate.slot():  # the refused wait left no token behind
            pass
        return refused.value.retry_after_seconds

    assert anyio.run(scenario) == 3


def test_the_pool_follows_the_settings_and_times_out_after_the_wait(
    make_database: Callable[[], Database], database_url: str
) -> None:
    database = Database(
        database_url, capacity=CapacitySettings(pool_size=2, max_overflow=1, wait_seconds=0.3)
    )
    try:
        held = [database.engine.connect() for _ in range(3)]
        with pytest.raises(PoolTimeout):
            database.engine.connect()
        for conn in held:
            conn.close()
        assert database.gate.slots == 3
    finally:
        database.dispose()


def test_a_pool_that_stays_full_is_503_with_retry_after(database_url: str) -> None:
    database = _small(database_url, wait_seconds=0.3, retry_after_seconds=4)
    try:
        with database.engine.connect():  # no lifespan: its database check would wait for this connection
            response = TestClient(_app(database), raise_server_exceptions=False).get("/select")
        assert (response.status_code, response.json()) == (503, {"detail": BUSY})
        assert response.headers["retry-after"] == "4"
    finally:
        database.dispose()


def test_a_gate_that_stays_full_is_503_with_retry_after(database_url: str) -> None:
    database = _small(database_url, wait_seconds=0.3, retry_after_seconds=5)
    app = _app(database)

    try:
        held, refused = anyio.run(_pair, app)
        assert held.status_code == 200
        assert (refused.status_code, refused.json()) == (503, {"detail": BUSY})
        assert refused.headers["retry-after"] == "5"
    finally:
        database.dispose()


async def _pair(app: FastAPI) -> tuple[httpx.Response, httpx.Response]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        results: dict[str, httpx.Response] = {}

        async def call(path: str) -> None:
            results[path] = await client.get(path)

        async with anyio.create_task_group() as group:
            group.start_soon(call, "/hold")
            await anyio.sleep(0.3)  # /hold has its slot by now
            group.start_soon(call, "/gated")
    return results["/hold"], results["/gated"]


@pytest.fixture(params=["sqlite", "postgres"])
def down_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An unreachable database of each backend (PostgreSQL only when the suite has one)."""
    if request.param == "postgres":
        service_url(POSTGRES_ENV)
    return unreachable_database_url(tmp_path, request.param)


def test_a_database_that_is_down_is_503_with_retry_after(down_url: str) -> None:
    database = Database(down_url)
    try:
        client = TestClient(_app(database), raise_server_exceptions=False)  # no lifespan: it would refuse
        response = client.get("/select")
        assert (response.status_code, response.json()) == (503, {"detail": DOWN})
        assert response.headers["retry-after"] == "2"
    finally:
        database.dispose()


def _lifespan_messages(app: FastAPI) -> list[dict[str, Any]]:
    async def scenario() -> list[dict[str, Any]]:
        sent: list[dict[str, Any]] = []
        incoming = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]

        async def receive() -> dict[str, Any]:
            return incoming.pop(0)

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        try:
            await app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, send)
        except DatabaseUnavailable as exc:
            sent.append({"raised": str(exc)})
        return sent

    return anyio.run(scenario)


def test_startup_fails_with_one_line_when_the_database_does_not_answer(tmp_path: Path) -> None:
    url = unreachable_database_url(tmp_path, "sqlite")
    database = Database(url)
    try:
        messages = _lifespan_messages(_app(database))
    finally:
        database.dispose()
    line = f"demo: the database does not answer ({url}): OperationalError: unable to open database file"
    assert messages == [{"type": "lifespan.startup.failed", "message": line}, {"raised": line}]


def test_startup_completes_when_the_database_answers(database_url: str) -> None:
    database = Database(database_url)
    try:
        messages = _lifespan_messages(_app(database))
    finally:
        database.dispose()
    assert messages == [{"type": "lifespan.startup.complete"}, {"type": "lifespan.shutdown.complete"}]
