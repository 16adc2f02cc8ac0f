"""core.limits: the body limit counts streamed bytes, honours a route's declared cap, answers 413."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from tests.live import serve

from opsuite.core.limits import BodyLimitMiddleware, body_limit


def _app() -> FastAPI:
    app = FastAPI()
    app.add_middleware(BodyLimitMiddleware, limit=100)

    @app.post("/json")
    def take_json(payload: dict[str, str]) -> dict[str, int]:
        return {"keys": len(payload)}

    @app.post("/upload")
    @body_limit(1000)
    async def take_upload(request: Request) -> dict[str, int]:
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
        return {"size": size}

    @app.post("/scoped")
    @body_limit(lambda scope: scope["app"].state.cap)
    async def take_scoped(request: Request) -> dict[str, int]:
        return {"size": len(await request.body())}

    app.state.cap = 10
    return app


def _json_of(size: int) -> bytes:
    return b'{"k":"' + b"x" * (size - 8) + b'"}'


def test_a_body_at_the_limit_passes_and_one_byte_more_is_413() -> None:
    with TestClient(_app()) as client:
        body = _json_of(100)
        assert len(body) == 100
        ok = client.post("/json", content=body, headers={"content-type": "application/json"})
        assert (ok.status_code, ok.json()) == (200, {"keys": 1})
        refused = client.post("/json", content=_json_of(101), headers={"content-type": "application/json"})
        assert refused.status_code == 413
        assert refused.json() == {"detail": "Request body larger than 100 bytes"}


def test_a_route_declares_its_own_cap() -> None:
    with TestClient(_app()) as client:
        assert client.post("/upload", content=b"x" * 1000).json() == {"size": 1000}
        refused = client.post("/upload", content=b"x" * 1001)
        assert (refused.status_code, refused.json()) == (
            413,
            {"detail": "Request body larger than 1000 bytes"},
        )
        assert client.post("/scoped", content=b"x" * 10).json() == {"size": 10}
        assert client.post("/scoped", content=b"x" * 11).status_code == 413


def test_a_declared_length_over_the_cap_is_refused_before_reading() -> None:
    with TestClient(_app()) as client:
        response = client.post(
            "/json", content=b"{}", headers={"content-type": "application/json", "content-length": "5000000"}
        )
        assert (response.status_code, response.json()) == (
            413,
            {"detail": "Request body larger than 100 bytes"},
        )


def _chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        piece = min(size, total - sent)
        sent += piece
        yield b"x" * piece


def test_a_chunked_body_without_content_length_is_counted_while_it_streams() -> None:
    with serve(_app()) as base, httpx.Client(base_url=base, timeout=30) as client:
        request = client.build_request("POST", "/upload", content=_chunks(1001, size=100))
        assert "content-length" not in request.headers
        assert request.headers["transfer-encoding"] == "chunked"
        response = client.send(request)
        assert (response.status_code, response.json()) == (
            413,
            {"detail": "Request body larger than 1000 bytes"},
        )
        accepted = client.post("/upload", content=_chunks(1000, size=100))
        assert (accepted.status_code, accepted.json()) == (200, {"size": 1000})
