"""Domain errors of the production system and the one table that maps them to HTTP statuses."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from opsuite.core.errors import DomainError, status_in
from opsuite.core.limits import BodyTooLarge
from opsuite.core.text import SafeJSONResponse
from opsuite.core.web import WireErrors

log = logging.getLogger(__name__)

VALIDATION_DETAIL = "Ошибка валидации запроса"
INTERNAL_DETAIL = "Внутренняя ошибка сервера"
BODY_TOO_LARGE_DETAIL = "Тело запроса больше допустимого размера ({limit} байт)"
BODY_UNREADABLE_DETAIL = "Тело запроса не удалось разобрать"
FASTAPI_BODY_UNREADABLE = "There was an error parsing the body"  # FastAPI's 400 (JSON nested too deep, say)
DATABASE_BUSY = "Сервер перегружен, повторите запрос позже"
DATABASE_DOWN = "База данных недоступна, повторите запрос позже"


class ProductionError(DomainError):
    """A failure the client can act on; its class decides the status through `STATUS`."""


class NotFound(ProductionError):
    """The resource does not exist."""


class AlreadyExists(ProductionError):
    """A uniqueness rule would be broken."""


class InvalidState(ProductionError):
    """The operation is not allowed in the resource's current state."""


class InvalidValue(ProductionError):
    """A value breaks a business rule that the schema cannot express."""


class BadRequest(ProductionError):
    """The request cannot be understood (an unsupported file, say)."""


class TooLarge(ProductionError):
    """The upload is over the limit."""


# The single place where a rule violation becomes a status. The document lists 400/404/422; conflicts
# are 409 as the original answers them (docs/production.md); switching them is a one-line change here.
STATUS: dict[type[ProductionError], int] = {
    NotFound: 404,
    AlreadyExists: 409,
    InvalidState: 409,
    InvalidValue: 422,
    BadRequest: 400,
    TooLarge: 413,
}


def status_of(error: ProductionError) -> int:
    """The HTTP status of a domain error (the nearest mapped class wins)."""
    return status_in(STATUS, error)


class ErrorOut(BaseModel):
    """The document's error body."""

    detail: str


class ValidationErrorOut(BaseModel):
    """A schema error: the document's `detail` plus the field errors (absent for a rule on one value)."""

    detail: str
    errors: list[dict[str, Any]] = Field(default_factory=list)


_DESCRIPTIONS = {
    400: "Неверный запрос",
    404: "Ресурс не найден",
    409: "Конфликт с текущим состоянием",
    413: "Файл больше допустимого размера",
    422: "Ошибка валидации",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route that can answer these statuses, for its OpenAPI document."""
    return {
        code: {"model": ValidationErrorOut if code == 422 else ErrorOut, "description": _DESCRIPTIONS[code]}
        for code in codes
    }


def install_error_handlers(app: FastAPI) -> None:
    """Every error leaves as `{"detail": ...}`; schema errors add `errors`; nothing leaves as a bare 500."""

    @app.exception_handler(ProductionError)
    async def domain_error(_request: Request, exc: ProductionError) -> JSONResponse:
        return JSONResponse({"detail": exc.detail}, status_code=status_of(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {key: value for key, value in error.items() if key in ("type", "loc", "msg", "input")}
            for error in exc.errors()
        ]
        body = {"detail": VALIDATION_DETAIL, "errors": jsonable_encoder(errors, custom_encoder=_SAFE)}
        return SafeJSONResponse(body, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if isinstance(exc, BodyTooLarge):
            detail = BODY_TOO_LARGE_DETAIL.format(limit=exc.limit)
        elif detail == FASTAPI_BODY_UNREADABLE:
            detail = BODY_UNREADABLE_DETAIL
        return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return JSONResponse({"detail": INTERNAL_DETAIL}, status_code=500)


# Inputs echoed back in validation errors may be bytes (multipart) or other oddities.
_SAFE: dict[Any, Any] = {bytes: lambda value: value.decode("utf-8", "replace")}


WIRE_ERRORS = WireErrors(install_error_handlers, DATABASE_BUSY, DATABASE_DOWN)
