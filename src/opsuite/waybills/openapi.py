"""The OpenAPI document in DRF's terms: 400 instead of 422, error bodies as answered, Bearer auth."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field, RootModel


class Detail(BaseModel):
    """`{"detail": "..."}`."""

    detail: str = Field(examples=["Учетные данные не были предоставлены."])


class ValidationErrors(RootModel[dict[str, list[str]] | list[str] | dict[str, str]]):
    """`{field: [messages]}`, a bare list of messages, or `{"detail": "..."}`."""


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {
        "model": ValidationErrors,
        "description": "Неверные данные: `{поле: [сообщения]}` или `[сообщение]`",
    },
    401: {"model": Detail, "description": "Токен не передан, просрочен, подделан или пароль сменился"},
    403: {"model": Detail, "description": "У роли нет нужного флага"},
    404: {"model": Detail, "description": "Не найдено"},
}
PUBLIC = {"/api/auth/login/", "/health", "/api/"}


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
        components = schema.setdefault("components", {})
        for name in ("HTTPValidationError", "ValidationError"):
            components.get("schemas", {}).pop(name, None)
        components["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
        }
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
