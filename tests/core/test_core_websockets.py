"""WebSocket routes: copied by include_flat, authenticated by `?token=`, with a request id, a log line and a metric."""

from __future__ import annotations

import contextlib
import logging
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

import pytest
from fastapi import APIRouter, FastAPI, WebSocket
from fastapi.routing import APIWebSocketRoute
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketDenialResponse
from starlette.websockets import WebSocketDisconnect
from tests.live import serve
from websockets.exceptions import ConnectionClosedOK, InvalidStatus
from websockets.sync.client import connect

from opsuite.core.db import Database
from opsuite.core.logs import RequestIdFilter, request_id_var
from opsuite.core.realtime import MemoryHub
from opsuite.core.security import TokenCache, encode_token
from opsuite.core.web import authenticate_websocket, include_flat, install_common, stream_frames

KEY = "test-signing-key-" + "x" * 40
LIVE_ENDED = threading.Event()
"""Set when a `/live` route has returned."""
USERS = {"alice"}


def token(sub: str, *, audience: str = "demo", lifetime: timedelta = timedelta(minutes=5)) -> str:
    return str(encode_token({"sub": sub}, KEY, lifetime, audience=audience))


def build_app(database: Database, hub: MemoryHub) -> FastAPI:
    """A small system: an echo socket and a live feed, under /api and under an old alias /v0."""
    tokens = TokenCache(KEY, audience="demo")

    def verify(value: str) -> str | None:
        user: str = tokens.decode(value)["sub"]
        return user if user in USERS else None

    router = APIRouter()

    @router.websocket("/echo")
    async def echo(websocket: WebSocket) -> None:
        user = await authenticate_websocket(websocket, verify)
        if user is None:
            return
        await websocket.accept()
        text = await websocket.receive_text()
        await websocket.send_text(f"{user} {request_id_var.get()}: {text}")
        await websocket.close()

    @router.websocket("/wait")
    async def wait(websocket: WebSocket) -> None:
        await websocket.accept()
        with contextlib.suppress(WebSocketDisconnect):
            await websocket.receive_text()  # until the client goes

    @router.websocket("/feed/{topic}")
    async def feed(websocket: WebSocket, topic: str) -> None:
        if await authenticate_websocket(websocket, verify) is None:
            return
        await websocket.accept()
        with hub.subscribe(topic) as frames:
            await websocket.send_text("subscribed")
            for _ in range(3):
                await websocket.send_text((await frames.get()).text)
        await websocket.close()

    @router.websocket("/live/{topic}")
    async def live(websocket: WebSocket, topic: str) -> None:
        await websocket.accept()
        with hub.subscribe(topic) as frames:
            await websocket.send_text("subscribed")
            await stream_frames(websocket, frames)
        LIVE_ENDED.set()

    app = FastAPI()
    install_common(app, system="demo", database=lambda: database, cors_origins=[])
    include_flat(app, router, prefix="/api")
    include_flat(app, router, prefix="/v0", in_schema=False)
    return app


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'ws.sqlite3'}")
    yield database
    database.dispose()


@pytest.fixture
def hub() -> MemoryHub:
    return MemoryHub()


@pytest.fixture
def app(database: Database, hub: MemoryHub) -> FastAPI:
    return build_app(database, hub)


@pytest.fixture
def access(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Access-log records, each with the request id it was written under."""
    caplog.set_level(logging.INFO, logger="opsuite.access")
    caplog.handler.addFilter(RequestIdFilter())
    return caplog


def ws_lines(caplog: pytest.LogCaptureFixture) -> list[tuple[str, str, int, int, str]]:
    """(message without its duration, path, status, close code, request id) of each WebSocket line."""
    lines = []
    for record in caplog.records:
        if record.name == "opsuite.access" and record.__dict__["method"] == "WS":
            message = record.getMessage()
            assert re.fullmatch(r"WS \S+ \d{4} \d+\.\dms", message), message
            lines.append(
                (
                    message.rsplit(" ", 1)[0],
                    record.__dict__["path"],
                    record.__dict__["status"],
                    record.__dict__["close_code"],
                    record.__dict__["request_id"],
                )
            )
    return lines


def test_include_flat_copies_websocket_routes_under_each_prefix(app: FastAPI) -> None:
    sockets = [(route.path, route.name) for route in app.routes if isinstance(route, APIWebSocketRoute)]
    assert sockets == [
        ("/api/echo", "echo"),
        ("/api/wait", "wait"),
        ("/api/feed/{topic}", "feed"),
        ("/api/live/{topic}", "live"),
        ("/v0/echo", "/v0:echo"),
        ("/v0/wait", "/v0:wait"),
        ("/v0/feed/{topic}", "/v0:feed"),
        ("/v0/live/{topic}", "/v0:live"),
    ]
    with TestClient(app).websocket_connect(f"/v0/echo?token={token('alice')}") as socket:
        socket.send_text("old path")
        assert socket.receive_text().startswith("alice ")


def test_a_good_token_is_accepted_and_the_request_id_goes_both_ways(
    app: FastAPI, access: pytest.LogCaptureFixture
) -> None:
    client = TestClient(app)
    with client.websocket_connect(
        f"/api/echo?token={token('alice')}", headers={"X-Request-ID": "ws-42"}
    ) as socket:
        assert socket.extra_headers == [(b"x-request-id", b"ws-42")]
        socket.send_text("hello")
        assert socket.receive_text() == "alice ws-42: hello"
        assert socket.receive() == {"type": "websocket.close", "code": 1000, "reason": ""}
    with client.websocket_connect(f"/api/echo?token={token('alice')}") as socket:
        accepted = cast(list[tuple[bytes, bytes]], socket.extra_headers)  # typed None by starlette
        generated = dict(accepted)[b"x-request-id"].decode()
        socket.send_text("again")
        assert socket.receive_text() == f"alice {generated}: again"
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    assert ws_lines(access) == [
        ("WS /api/echo 1000", "/api/echo", 101, 1000, "ws-42"),
        ("WS /api/echo 1000", "/api/echo", 101, 1000, generated),
    ]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?token=",
        "?token=not-a-jwt",
        f"?token={token('mallory')}",  # a valid token that verify refuses
        f"?token={token('alice', audience='other')}",
        f"?token={token('alice', lifetime=timedelta(seconds=-1))}",
    ],
    ids=["missing", "empty", "garbage", "refused", "other-system", "expired"],
)
def test_a_missing_or_bad_token_closes_with_1008_before_accept(
    app: FastAPI, access: pytest.LogCaptureFixture, query: str
) -> None:
    with pytest.raises(WebSocketDisconnect) as closed, TestClient(app).websocket_connect(f"/api/echo{query}"):
        pass
    assert closed.value.code == 1008
    assert ws_lines(access) == [
        ("WS /api/echo 1008", "/api/echo", 403, 1008, access.records[-1].__dict__["request_id"])
    ]


def test_a_query_value_that_breaks_the_text_rule_is_refused_before_the_endpoint(
    app: FastAPI, access: pytest.LogCaptureFixture
) -> None:
    with (
        pytest.raises(WebSocketDenialResponse) as refused,
        TestClient(app).websocket_connect("/api/echo?token=%00"),
    ):
        pass
    assert refused.value.status_code == 422
    assert refused.value.json()["detail"][0]["loc"] == ["query", "token"]
    assert ws_lines(access)[0][:3] == ("WS /api/echo 1000", "/api/echo", 422)


def test_the_close_code_a_client_sends_is_logged_and_counted(
    app: FastAPI, access: pytest.LogCaptureFixture
) -> None:
    client = TestClient(app)
    with client.websocket_connect("/api/wait", headers={"X-Request-ID": "w-1"}) as socket:
        socket.close(1001)
    with client.websocket_connect(f"/api/echo?token={token('alice')}") as socket:
        socket.send_text("hello")
        socket.receive_text()
    with pytest.raises(WebSocketDisconnect), client.websocket_connect("/api/echo?token=bad"):
        pass
    assert ws_lines(access)[0] == ("WS /api/wait 1001", "/api/wait", 101, 1001, "w-1")
    metrics = client.get("/metrics").text
    counted = sorted(line for line in metrics.splitlines() if 'method="WS"' in line and "_total" in line)
    assert counted == [
        'opsuite_http_requests_total{system="demo",method="WS",route="/api/echo",status="1000"} 1',
        'opsuite_http_requests_total{system="demo",method="WS",route="/api/echo",status="1008"} 1',
        'opsuite_http_requests_total{system="demo",method="WS",route="/api/wait",status="1001"} 1',
    ]


def test_http_requests_keep_their_request_id_and_log_line(
    app: FastAPI, access: pytest.LogCaptureFixture
) -> None:
    response = TestClient(app).get("/metrics", headers={"X-Request-ID": "h-1"})
    assert (response.status_code, response.headers["x-request-id"]) == (200, "h-1")
    record = access.records[-1]
    assert (
        record.getMessage().rsplit(" ", 1)[0],
        record.__dict__["status"],
        record.__dict__["request_id"],
    ) == (
        "GET /metrics 200",
        200,
        "h-1",
    )
    assert "close_code" not in record.__dict__


def test_a_live_feed_over_a_real_socket(
    app: FastAPI, hub: MemoryHub, access: pytest.LogCaptureFixture
) -> None:
    with serve(app) as base:
        url = base.replace("http://", "ws://") + "/api/feed/weight"
        with connect(
            f"{url}?token={token('alice')}", additional_headers={"X-Request-ID": "live-1"}
        ) as socket:
            assert socket.response is not None
            assert socket.response.headers["x-request-id"] == "live-1"
            assert socket.recv(timeout=10) == "subscribed"
            moment = datetime(2025, 1, 20, 9, 0, tzinfo=UTC)
            for kg in (0, 1250, 1250):  # published from this thread, read on the server's loop
                hub.publish("weight", {"kg": kg, "at": moment})
            assert [socket.recv(timeout=10) for _ in range(3)] == [
                '{"kg":0,"at":"2025-01-20T09:00:00Z"}',
                '{"kg":1250,"at":"2025-01-20T09:00:00Z"}',
                '{"kg":1250,"at":"2025-01-20T09:00:00Z"}',
            ]
            with pytest.raises(ConnectionClosedOK):
                socket.recv(timeout=10)
        with pytest.raises(InvalidStatus) as refused, connect(f"{url}?token=bad"):
            pass
        assert refused.value.response.status_code == 403
    assert [line[:4] for line in ws_lines(access)] == [
        ("WS /api/feed/weight 1000", "/api/feed/weight", 101, 1000),
        ("WS /api/feed/weight 1008", "/api/feed/weight", 403, 1008),
    ]


def test_a_streamed_feed_notices_a_client_that_leaves_without_waiting_for_a_frame(
    app: FastAPI, hub: MemoryHub, access: pytest.LogCaptureFixture
) -> None:
    LIVE_ENDED.clear()
    with serve(app) as base:
        url = base.replace("http://", "ws://") + "/api/live/weight"
        with connect(url, additional_headers={"X-Request-ID": "leaves-1"}) as socket:
            assert socket.recv(timeout=10) == "subscribed"
            hub.publish("weight", {"kg": 24500.0})
            assert socket.recv(timeout=10) == '{"kg":24500.0}'
        # No frame is published after the client left: the route ends on the client's close alone.
        assert LIVE_ENDED.wait(timeout=10)
        hub.publish("weight", {"kg": 1.0})  # nobody is subscribed any more; nothing to deliver
    assert [line[:4] for line in ws_lines(access)] == [
        ("WS /api/live/weight 1000", "/api/live/weight", 101, 1000)
    ]
