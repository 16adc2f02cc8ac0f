"""The OpenAPI document as the system answers: 400 in the document's envelope where FastAPI writes 422."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from opsuite.powerbank.errors import VALIDATION_ERROR

ERROR_SCHEMA = {
    "type": "object",
    "required": ["success", "error"],
    "properties": {
        "success": {"type": "boolean", "const": False},
        "error": {"type": "string"},
        "details": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}


def install_openapi(app: FastAPI) -> None:
    """Serve the document with every 422 replaced by the 400 the error handlers really answer."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        fresh = app.openapi_schema is None
        schema = build()  # FastAPI's own, cached on the app: rewritten once, in place
        if fresh:
            for operations in schema["paths"].values():
                for operation in operations.values():
                    _answer_400_not_422(operation.get("responses", {}))
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _answer_400_not_422(responses: dict[str, Any]) -> None:
    if responses.pop("422", None) is not None and "400" not in responses:
        responses["400"] = {
            "description": VALIDATION_ERROR,
            "content": {"application/json": {"schema": ERROR_SCHEMA}},
        }
