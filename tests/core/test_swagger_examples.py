"""Every request example in each system's /openapi.json succeeds unchanged right after `make run`.

Each system runs on a fresh database with its demo data (as `opsuite serve --prepare` leaves it), logged in as
the demo user its login hint names; tests/core/examples_walk.py sends every operation's examples in a fixed order
and expects a 2xx, or a reason in the description why the example cannot run.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.core.examples_walk import SKIP_MARKER, build, operations, skip_reason, walk
from tests.templates import template_for

from opsuite.systems import descriptor

FERNET_KEY = "x8v8J0k1Sg2mQGm0JQ9n8y4C6eT2rB5dW7uH3aL9pZs="
SECRET = "examples-walk-secret-of-enough-length-for-hs256"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _settings(name: str, tmp_path: Path, url: str | None, simulator_port: int) -> Any:
    """The settings `opsuite serve` would use, on the test's database and folder, with no scheduler thread."""
    extra: dict[str, Any] = {"core": {"var_dir": tmp_path}, "scheduler_enabled": False}
    if name == "scales":
        extra |= {"fernet_key": FERNET_KEY, "simulator_port": simulator_port}
    if name in ("scales", "waybills"):
        extra["secret_key"] = SECRET
    if name == "waybills":
        extra.pop("scheduler_enabled")
    return descriptor(name).settings.__call__(database_url=url, **extra)  # type: ignore[call-arg]


def _scales_login(client: TestClient) -> dict[str, str]:
    from opsuite.scales.demo import DEMO_EMAIL, DEMO_PASSWORD

    answer = client.post("/auth/login", data={"username": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _waybills_login(client: TestClient) -> dict[str, str]:
    from opsuite.waybills.demo import USERS

    login, password = USERS[0][:2]
    answer = client.post("/api/auth/login/", json={"login": login, "password": password, "client": "web"})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access']}"}


LOGINS: dict[str, Callable[[TestClient], dict[str, str]]] = {
    "production": lambda _client: {},  # no API key exists after `make run`: the API is open
    "scales": _scales_login,
    "waybills": _waybills_login,
}


@pytest.fixture(params=sorted(LOGINS))
def system(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """(name, app) of one system on a fresh database holding its demo data."""
    name: str = request.param
    folder = tmp_path_factory.mktemp(f"examples-{name}")
    port = _free_port()
    target = descriptor(name)
    made = template_for(
        tmp_path_factory,
        target.package,
        lambda url: print(target.load_demo(_settings(name, folder, url, port), False)),
    )
    template = next(made)
    url = template.new()
    yield name, target.create_app(_settings(name, folder, url, port))
    template.drop(url)
    next(made, None)


def _drivers_report_has_trips(client: TestClient, spec: dict[str, Any], headers: dict[str, str]) -> None:
    """The report examples name a driver and a month with data: the demo's trip of driver 3 on 2025-01-15."""
    path = "/api/users/drivers-report/"
    call = build(spec, "get", path, spec["paths"][path]["get"])
    assert call.query == {"driver": "3", "from": "2025-01-01", "to": "2025-01-31"}
    rows = client.get(path, params=call.query, headers=headers).json()
    assert [(row["date"], row["driver"], row["distance"]) for row in rows] == [
        ("2025-01-15", "Иванов Иван Иванович", 70)
    ]


AFTER_WALK: dict[str, Callable[[TestClient, dict[str, Any], dict[str, str]], None]] = {
    "waybills": _drivers_report_has_trips,
}
# What may not be skipped: the operations whose example needs what the demo cannot hold (a file, an id
# that only an answer gives, an address the default policy refuses).
SKIPPED = {
    "production": [
        "POST /api/batches/import",
        "POST /api/webhooks",
        "GET /api/background_tasks/{task_id}",
        "GET /api/reports/{file_id}",
    ],
    "scales": ["GET /jobs/{job_id}"],
    "waybills": [],
}


def test_every_request_example_succeeds_on_the_demo_data(system: tuple[str, Any]) -> None:
    name, app = system
    with TestClient(app) as client:
        headers = LOGINS[name](client)
        spec = client.get("/openapi.json").json()
        passed, skipped, failures = walk(client, spec, headers)
        assert failures == [], "\n".join(failures)
        if name in AFTER_WALK:
            AFTER_WALK[name](client, spec, headers)
    assert skipped == SKIPPED[name]
    assert len(passed) + len(skipped) == len(operations(spec))


ACCESS_WORDS = re.compile(r"учетн|учётн|credential|authenticat|токен|token|прав", re.IGNORECASE)


def error_examples(spec: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(operation, status, example text) of every error response example, as Swagger shows it."""
    schemas = spec.get("components", {}).get("schemas", {})
    found = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            for status, response in op.get("responses", {}).items():
                if not status.startswith(("4", "5")):
                    continue
                for content in response.get("content", {}).values():
                    shown = [content["example"]] if "example" in content else []
                    shown += [one["value"] for one in content.get("examples", {}).values()]
                    if not shown:  # Swagger builds the example from the model's field examples
                        model = schemas.get(content.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1], {})
                        for field in model.get("properties", {}).values():
                            shown += field.get("examples", [])
                    found += [(f"{method.upper()} {path}", status, str(text)) for text in shown]
    return found


@pytest.mark.parametrize("name", sorted(LOGINS))
def test_error_examples_are_true_to_their_status(name: str, tmp_path: Path) -> None:
    spec = descriptor(name).create_app(_settings(name, tmp_path, None, 1111)).openapi()
    examples = error_examples(spec)
    wrong = [
        entry
        for entry in examples
        if (entry[1] == "404" and ACCESS_WORDS.search(entry[2]))
        or (entry[1] in ("401", "403") and "найден" in entry[2])
    ]
    assert wrong == []
    if name == "waybills":
        from opsuite.waybills import messages

        by_status = {status: text for op, status, text in examples if op == "GET /api/roles/{item_id}/"}
        assert by_status == {
            "401": str({"detail": messages.NO_CREDENTIALS}),
            "403": str({"detail": messages.PERMISSION_DENIED}),
            "404": str({"detail": messages.NOT_FOUND}),
        }


def test_the_walk_order_puts_deletes_last_children_first() -> None:
    spec = {
        "paths": {
            "/cars/": {"post": {}, "get": {}},
            "/cars/{id}/": {"delete": {}, "get": {}},
            "/records/{id}/": {"delete": {}, "put": {}},
        }
    }
    order = [f"{method} {path}" for method, path, _op in operations(spec)]
    assert order == [
        "post /cars/",
        "get /cars/",
        "get /cars/{id}/",
        "put /records/{id}/",
        "delete /records/{id}/",
        "delete /cars/{id}/",
    ]


def test_an_example_is_what_swagger_sends_and_a_missing_one_is_named() -> None:
    spec = {
        "components": {"schemas": {"Car": {"type": "object", "examples": [{"number": "A003AA54"}]}}},
        "paths": {},
    }
    op = {
        "parameters": [
            {"name": "item_id", "in": "path", "required": True, "examples": {"demo": {"value": 3}}},
            {"name": "limit", "in": "query", "schema": {"default": 25}},
            {"name": "shift", "in": "query", "schema": {"type": "string"}},
        ],
        "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Car"}}}},
    }
    call = build(spec, "put", "/cars/{item_id}/", op)
    assert (call.path, call.query, call.body) == ("/cars/3/", {"limit": 25}, {"number": "A003AA54"})
    bare = {"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}}}
    with pytest.raises(AssertionError, match="POST /cars/: the application/json body has no example"):
        build(spec, "post", "/cars/", bare)
    unnamed = {
        "parameters": [{"name": "item_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
    }
    with pytest.raises(AssertionError, match="parameter item_id has no example"):
        build(spec, "get", "/cars/{item_id}/", unnamed)


def test_a_skipped_example_gives_its_reason() -> None:
    op = {
        "description": f"Удалить партию.\n\n{SKIP_MARKER} удаляет партию демо-данных; второй раз ответит 404."
    }
    assert skip_reason(op) == "удаляет партию демо-данных; второй раз ответит 404."
    assert skip_reason({"description": "Удалить партию."}) is None
