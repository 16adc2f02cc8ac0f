"""API keys: open until a key exists, then every route but health needs `Bearer` or `X-API-Key`."""

from __future__ import annotations

import hashlib
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from opsuite.core.db import Database
from opsuite.production.apikeys import service
from opsuite.production.apikeys.guard import (
    INVALID,
    MISSING,
    UNAVAILABLE,
    WRONG_SCHEME,
    ActiveKeys,
    ApiKeyGuard,
)
from opsuite.production.apikeys.models import ApiKey
from opsuite.production.app import create_app
from opsuite.production.settings import ProductionSettings
from tests.clock import FakeClock
from tests.production.conftest import START

CHALLENGE = 'Bearer realm="production"'


@pytest.fixture
def app(settings: ProductionSettings, database: Database, clock: FakeClock) -> Any:
    """The app with no key cache, so that a key created or revoked by the test applies at once."""
    return create_app(settings.model_copy(update={"api_key_cache_seconds": 0}), database, clock=clock)


def new_key(database: Database, name: str = "line 1") -> str:
    """Create an active key in the test's database; returns the key."""
    with database.session() as session:
        return service.create_key(session, name=name, now=START).key


def revoke(database: Database, ref: str) -> None:
    """Revoke a key by id, prefix or name."""
    with database.session() as session:
        service.revoke_key(session, ref=ref, now=START)


def test_open_until_a_key_exists_then_401_in_the_envelope(client: TestClient, database: Database) -> None:
    assert client.get("/api/work_centers").status_code == 200
    new_key(database)
    answer = client.get("/api/work_centers")
    assert answer.status_code == 401
    assert answer.json() == {"detail": MISSING}
    assert answer.headers["www-authenticate"] == CHALLENGE
    assert len(answer.headers["x-request-id"]) == 32  # inside the request-id layer: logged and traceable


def test_bearer_and_x_api_key_both_let_a_valid_key_in(client: TestClient, database: Database) -> None:
    key = new_key(database)
    answer = client.get("/api/work_centers", headers={"Authorization": f"Bearer {key}"})
    assert (answer.status_code, answer.json()) == (200, {"items": [], "total": 0, "limit": 25, "offset": 0})
    assert client.get("/api/work_centers", headers={"authorization": f"bearer {key}"}).status_code == 200
    assert client.get("/api/work_centers", headers={"X-API-Key": key}).status_code == 200
    created = client.post(
        "/api/work_centers", json={"identifier": "WC-9", "name": "Цех 9"}, headers={"X-API-Key": key}
    )
    assert created.status_code == 201


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer opk_not-a-key"},
        {"X-API-Key": "opk_not-a-key"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
    ],
)
def test_a_wrong_key_is_refused(client: TestClient, database: Database, headers: dict[str, str]) -> None:
    new_key(database)
    answer = client.get("/api/batches", headers=headers)
    expected = WRONG_SCHEME.format(scheme="Basic") if "Basic" in headers.get("Authorization", "") else INVALID
    assert (answer.status_code, answer.json(), answer.headers["www-authenticate"]) == (
        401,
        {"detail": expected},
        CHALLENGE,
    )


def test_a_revoked_key_is_refused_and_another_still_works(client: TestClient, database: Database) -> None:
    first = new_key(database, "first")
    second = new_key(database, "second")
    revoke(database, "first")
    assert client.get("/api/batches", headers={"X-API-Key": first}).json() == {"detail": INVALID}
    assert client.get("/api/batches", headers={"X-API-Key": second}).status_code == 200
    revoke(database, second[:12])
    # No active key left: the document's open behaviour again.
    assert client.get("/api/batches").status_code == 200


def test_every_route_but_health_docs_and_the_sink_is_closed(client: TestClient, database: Database) -> None:
    new_key(database)
    for path in (
        "/health",
        "/api/healthcheck/service",
        "/api/v1/healthcheck/database",
        "/openapi.json",
        "/docs",
        "/docs/assets/swagger-ui-bundle.js",
        "/",  # leads to /docs
    ):
        assert client.get(path).status_code == 200, path
    sink = client.post("/api/webhooks/test", json={"event": "batch.created"})
    assert (sink.status_code, sink.json()["signature_valid"]) == (200, None)
    closed = [
        ("GET", "/api/v1/batches"),
        ("GET", "/metrics"),
        ("GET", "/api/no-such-route"),  # 401, not 404: an outsider learns nothing of the routes
        ("DELETE", "/api/webhooks/00000000-0000-0000-0000-000000000000"),
        ("POST", "/api/batches"),  # refused before the body is read: 401, not 422
    ]
    for method, path in closed:
        answer = client.request(method, path)
        assert (answer.status_code, answer.json()) == (401, {"detail": MISSING}), (method, path)


def test_only_the_hash_is_stored(database: Database) -> None:
    with database.session() as session:
        created = service.create_key(session, name=" CI ", now=START)
    assert created.key.startswith("opk_")
    assert len(created.key) == 47
    with database.session() as session:
        row = session.scalars(select(ApiKey)).one()
        stored = (row.name, row.prefix, row.key_hash, row.created_at, row.revoked_at)
    assert stored == ("CI", created.key[:12], hashlib.sha256(created.key.encode()).hexdigest(), START, None)


def test_revoke_needs_exactly_one_match(database: Database) -> None:
    new_key(database, "twin")
    new_key(database, "twin")
    with database.session() as session, pytest.raises(service.InvalidValue) as ambiguous:
        service.revoke_key(session, ref="twin", now=START)
    assert ambiguous.value.detail == "'twin' подходит к 2 ключам: укажите id"
    with database.session() as session, pytest.raises(service.NotFound) as missing:
        service.revoke_key(session, ref="nobody", now=START)
    assert missing.value.detail == "Ключ 'nobody' не найден"


def test_the_cache_rereads_the_keys_only_after_its_ttl() -> None:
    now = [100.0]
    loads: list[frozenset[str]] = [frozenset({"a"}), frozenset()]
    keys = ActiveKeys(lambda: loads.pop(0), ttl=5.0, monotonic=lambda: now[0])
    assert anyio.run(keys.current) == frozenset({"a"})
    now[0] = 104.9
    assert anyio.run(keys.current) == frozenset({"a"})  # a revocation is not seen yet...
    now[0] = 105.0
    assert anyio.run(keys.current) == frozenset()  # ...and is seen once the TTL has passed
    assert loads == []


def test_a_database_that_cannot_be_read_gives_503_not_an_open_door() -> None:
    def broken() -> frozenset[str]:
        raise ConnectionError("database is down")

    inner = Starlette(routes=[Route("/data", lambda _request: PlainTextResponse("secret"))])
    guarded = ApiKeyGuard(inner, keys=ActiveKeys(broken, ttl=5.0), open_paths=frozenset())
    answer = TestClient(guarded).get("/data")
    assert (answer.status_code, answer.json(), answer.headers["retry-after"]) == (
        503,
        {"detail": UNAVAILABLE},
        "5",
    )


def test_the_openapi_document_declares_both_schemes(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    assert document["components"]["securitySchemes"] == {
        "bearer": {
            "type": "http",
            "scheme": "bearer",
            "description": "API-ключ из `opsuite apikey create production`",
        },
        "apiKey": {
            "type": "apiKey",
            "in": "header",
            "name": "X-API-Key",
            "description": "API-ключ в заголовке",
        },
    }
    batches = document["paths"]["/api/batches"]["get"]
    assert batches["security"] == [{"bearer": []}, {"apiKey": []}]
    assert batches["responses"]["401"]["description"].startswith("API-ключ не передан")
    assert "security" not in document["paths"]["/api/healthcheck/service"]["get"]
    assert "security" not in document["paths"]["/api/webhooks/test"]["post"]
