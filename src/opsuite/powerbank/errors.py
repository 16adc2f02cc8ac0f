"""Domain errors of the powerbank system, the one table mapping them to statuses, and the error envelope.

The document's envelope is `{"success": false, "error": "<Russian text>"}` (plus `code`, `details`) and its
status list is 200, 201, 400, 401, 403, 404, 408, 500: a schema error is 400 here, not FastAPI's 422, and
business refusals are 400 (the client shows the server's text only for 400).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from opsuite.core.errors import DomainError, status_in
from opsuite.core.limits import BodyTooLarge
from opsuite.core.text import SafeJSONResponse
from opsuite.core.web import WireErrors

log = logging.getLogger(__name__)

VALIDATION_ERROR = "Неверные параметры запроса"
INTERNAL_ERROR = "Внутренняя ошибка сервера"
BODY_TOO_LARGE = "Тело запроса больше допустимого размера ({limit} байт)"
BODY_UNREADABLE = "Тело запроса не удалось разобрать"
FASTAPI_BODY_UNREADABLE = "There was an error parsing the body"
DATABASE_BUSY = "Сервер перегружен, повторите запрос позже"
DATABASE_DOWN = "База данных недоступна, повторите запрос позже"
NOT_AUTHENTICATED = "Требуется авторизация"
HTTP_ERRORS = {404: "Ресурс не найден", 405: "Метод не поддерживается"}


class PowerbankError(DomainError):
    """A failure the client can act on; its class decides the status through `STATUS`."""

    code: str | None = None


class BadRequest(PowerbankError):
    """Invalid input or a business refusal (a limit, a duplicate, a busy or offline station)."""


class FieldInvalid(BadRequest):
    """A value broke a rule the schema cannot express; `field` names it in `details`."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class TooManyAttempts(BadRequest):
    """Too many logins or registrations from here; answered with `Retry-After` (the document has no 429)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Слишком много попыток, повторите через {retry_after} с")
        self.retry_after = retry_after


class Unauthorized(PowerbankError):
    """No valid token, or wrong credentials."""


class Forbidden(PowerbankError):
    """Outside the caller's role or scope."""


class NotFound(PowerbankError):
    """The resource does not exist (or is soft-deleted)."""


# The single place where a domain error becomes a status (the nearest mapped class wins).
STATUS: dict[type[PowerbankError], int] = {
    PowerbankError: 400,
    BadRequest: 400,
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
}


def status_of(error: PowerbankError) -> int:
    """The HTTP status of a domain error."""
    return status_in(STATUS, error)


def failure(message: str, *, status: int, **extra: Any) -> JSONResponse:
    """The document's error body with `status`; `extra` keys (code, details...) follow `error`."""
    return SafeJSONResponse({"success": False, "error": message, **extra}, status_code=status)


def body_of(error: PowerbankError) -> dict[str, Any]:
    """The wire body of a domain error."""
    body: dict[str, Any] = {"success": False, "error": error.detail}
    if error.code:
        body["code"] = error.code
    if isinstance(error, FieldInvalid):
        body["details"] = [{"field": error.field, "message": error.detail}]
    return body


class ErrorOut(BaseModel):
    """The document's error body."""

    success: bool = False
    error: str


_DESCRIPTIONS = {
    400: "Неверные параметры запроса или отказ по правилам",
    401: "Не авторизован",
    403: "Доступ запрещен",
    404: "Ресурс не найден",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route that can answer these statuses, for its OpenAPI document."""
    return {code: {"model": ErrorOut, "description": _DESCRIPTIONS[code]} for code in codes}


def _field_of(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(part) for part in loc if part not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def install_error_handlers(app: FastAPI) -> None:
    """Every error leaves in the document's envelope; no bare 500, no exception text."""

    @app.exception_handler(PowerbankError)
    async def domain_error(_request: Request, exc: PowerbankError) -> JSONResponse:
        headers: dict[str, str] = {}
        if isinstance(exc, Unauthorized):
            headers["WWW-Authenticate"] = "Bearer"
        if isinstance(exc, TooManyAttempts):
            headers["Retry-After"] = str(exc.retry_after)
        return SafeJSONResponse(body_of(exc), status_code=status_of(exc), headers=headers or None)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [{"field": _field_of(error["loc"]), "message": error["msg"]} for error in exc.errors()]
        return failure(VALIDATION_ERROR, status=400, details=jsonable_encoder(details))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if isinstance(exc, BodyTooLarge):
            return failure(BODY_TOO_LARGE.format(limit=exc.limit), status=400)
        if exc.detail == FASTAPI_BODY_UNREADABLE or exc.status_code in (400, 413, 422):
            return failure(BODY_UNREADABLE, status=400)
        message = HTTP_ERRORS.get(exc.status_code, str(exc.detail))
        response = failure(message, status=exc.status_code)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return failure(INTERNAL_ERROR, status=500)


WIRE_ERRORS = WireErrors(install_error_handlers, DATABASE_BUSY, DATABASE_DOWN)
