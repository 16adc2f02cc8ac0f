"""The contract matches the answers: 405's `Allow`, required `for-date/` parameters, malformed-body 400s."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

from opsuite.core.web import include_flat
from opsuite.waybills import messages
from tests.waybills.helpers import Api

MALFORMED = 'тело не JSON: `{"detail": "JSON parse error - ..."}`'


@pytest.fixture
def document(client: TestClient) -> dict[str, Any]:
    """The served OpenAPI document."""
    body: dict[str, Any] = client.get("/openapi.json").json()
    return body


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "roles/", "GET, POST"),
        ("POST", "roles/1/", "DELETE, GET, PATCH, PUT"),
        ("PUT", "passenger-car-records/", "GET, POST"),
    ],
)
def test_405_allows_every_method_of_the_path(api: Api, method: str, path: str, allow: str) -> None:
    answer = api.call(method, path)
    assert (answer.status_code, answer.headers["allow"], answer.json()) == (
        405,
        allow,
        {"detail": messages.METHOD_NOT_ALLOWED},
    )


def test_include_flat_gives_each_path_one_allow_header() -> None:
    router = APIRouter()
    router.add_api_route("/thing", lambda: {"ok": True}, methods=["GET"])
    router.add_api_route("/thing", lambda: {"ok": True}, methods=["PUT"])
    router.add_api_route("/other", lambda: {"ok": True}, methods=["DELETE"])
    app = FastAPI()
    include_flat(app, router, prefix="/api")
    answer = TestClient(app).post("/api/thing")
    assert (answer.status_code, answer.headers["allow"]) == (405, "GET, PUT")


@pytest.mark.parametrize("kind", ["passenger-car", "fire-truck"])
def test_for_date_and_last_parameters_are_documented_required(document: dict[str, Any], kind: str) -> None:
    def required(path: str) -> dict[str, bool]:
        return {p["name"]: p["required"] for p in document["paths"][path]["get"]["parameters"]}

    assert required(f"/api/{kind}-norms/for-date/") == {"car": True, "season": True, "date": True}
    assert required(f"/api/{kind}-odometer-fuel/last/") == {"car": True}


def test_every_operation_with_a_body_documents_the_malformed_body_400(document: dict[str, Any]) -> None:
    with_body = [
        (method, path, operation["responses"].get("400", {}))
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    ]
    assert len(with_body) >= 40
    schema = {"application/json": {"schema": {"$ref": "#/components/schemas/ValidationErrors"}}}
    undocumented = [
        (method, path)
        for method, path, bad in with_body
        if bad.get("content") != schema or not bad.get("description", "").endswith(MALFORMED)
    ]
    assert undocumented == []
    assert document["paths"]["/api/auth/login/"]["post"]["responses"]["400"]["description"] == (
        f"login или password не переданы; {MALFORMED}"
    )


def test_a_malformed_login_body_is_the_documented_400(api: Api, document: dict[str, Any]) -> None:
    answer = api.call(
        "POST", "auth/login/", content=b'{"login": ', headers={"Content-Type": "application/json"}
    )
    assert (answer.status_code, answer.json()) == (400, {"detail": messages.JSON_INVALID})
    documented = document["paths"]["/api/auth/login/"]["post"]["responses"]["400"]["content"]
    assert documented == {"application/json": {"schema": {"$ref": "#/components/schemas/ValidationErrors"}}}
    shapes = document["components"]["schemas"]["ValidationErrors"]["anyOf"]
    assert {"additionalProperties": {"type": "string"}, "type": "object"} in shapes
