"""The API-key schemes in the OpenAPI document, so that Swagger UI's Authorize button sends a key."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from opsuite.production.apikeys.guard import KEY_HEADER

SCHEMES: dict[str, dict[str, Any]] = {
    "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "API-ключ из `opsuite apikey create production`",
    },
    "apiKey": {"type": "apiKey", "in": "header", "name": KEY_HEADER, "description": "API-ключ в заголовке"},
}
_UNAUTHORIZED = {
    "description": "API-ключ не передан, неверен или отозван (только когда ключи созданы)",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"detail": {"type": "string"}},
                "required": ["detail"],
            }
        }
    },
}


def install_openapi(app: FastAPI, open_paths: frozenset[str]) -> None:
    """Declare both key headers on every operation except the open ones, with their 401."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        schema.setdefault("components", {})["securitySchemes"] = SCHEMES
        for path, operations in schema["paths"].items():
            if path in open_paths:
                continue
            for operation in operations.values():
                operation["security"] = [{"bearer": []}, {"apiKey": []}]
                operation["responses"].setdefault("401", _UNAUTHORIZED)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
