"""The OpenAPI document in DRF's terms: 400 instead of 422, error bodies as answered, Bearer auth."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, RootModel

from opsuite.waybills import messages


class Detail(BaseModel):
    """`{"detail": "..."}`."""

    detail: str


def _detail(description: str, example: str) -> dict[str, Any]:
    """An error answered as `{"detail": example}`: each status shows a text it really answers."""
    return {
        "model": Detail,
        "description": description,
        "content": {"application/json": {"example": {"detail": example}}},
    }


class ValidationErrors(RootModel[dict[str, list[str]] | list[str] | dict[str, str]]):
    """`{field: [messages]}`, a bare list of messages, or `{"detail": "..."}`."""


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {
        "model": ValidationErrors,
        "description": "Неверные данные: `{поле: [сообщения]}` или `[сообщение]`",
    },
    401: _detail("Токен не передан, просрочен, подделан или пароль сменился", messages.NO_CREDENTIALS),
    403: _detail("У роли нет нужного флага", messages.PERMISSION_DENIED),
    404: _detail("Не найдено", messages.NOT_FOUND),
}
PUBLIC = {"/api/auth/login/", "/health", "/api/"}
# Declared optional in the code so that a missing one gets the original's 400 message, not a schema
# error; the contract says what a client must send.
REQUIRED_QUERY: dict[str, tuple[str, ...]] = {
    "/api/passenger-car-norms/for-date/": ("car", "season", "date"),
    "/api/fire-truck-norms/for-date/": ("car", "season", "date"),
    "/api/passenger-car-odometer-fuel/last/": ("car",),
    "/api/fire-truck-odometer-fuel/last/": ("car",),
}
MALFORMED_BODY = 'тело не JSON: `{"detail": "JSON parse error - ..."}`'


def install_openapi(app: FastAPI) -> None:
    """Serve an OpenAPI document without FastAPI's 422 and with the Bearer scheme on private routes."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        for path, operations in schema["paths"].items():
            for operation in operations.values():
                operation["responses"].pop("422", None)
                if path not in PUBLIC:
                    operation["security"] = [{"bearer": []}]
                if "requestBody" in operation:
                    _document_malformed_body(operation["responses"])
                _require_query(operation, REQUIRED_QUERY.get(path, ()))
        components = schema.setdefault("components", {})
        for name in ("HTTPValidationError", "ValidationError"):
            components.get("schemas", {}).pop(name, None)
        components["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
        }
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _document_malformed_body(responses: dict[str, Any]) -> None:
    """The 400 of an operation with a body also covers a body that is not JSON (`{"detail": ...}`)."""
    bad = responses.setdefault("400", {"description": "Неверные данные"})
    bad["description"] = f"{bad['description']}; {MALFORMED_BODY}"
    bad.setdefault(
        "content", {"application/json": {"schema": {"$ref": "#/components/schemas/ValidationErrors"}}}
    )


def _require_query(operation: dict[str, Any], names: tuple[str, ...]) -> None:
    """Mark these query parameters required, as the view answers 400 without them."""
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "query" and parameter["name"] in names:
            parameter["required"] = True
