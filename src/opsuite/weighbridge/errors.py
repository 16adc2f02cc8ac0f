"""Domain errors of the weighbridge, the one table mapping them to statuses, and their wire bodies.

The document's client is FastAPI's: every error is `{"detail": "..."}`, schema errors FastAPI's 422 list.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from opsuite.core.errors import DomainError, status_in
from opsuite.core.limits import BodyTooLarge
from opsuite.core.text import SafeJSONResponse
from opsuite.core.web import WireErrors

DATABASE_BUSY = "Сервер занят, повторите попытку позже"
DATABASE_DOWN = "База данных недоступна, повторите попытку позже"


class WeighbridgeError(DomainError):
    """A failure the client can act on; its class decides the status through `STATUS`."""


class BadRequest(WeighbridgeError):
    """The request is well-formed but cannot be done (a wrong old password, a file that is not a JPEG)."""


class Unauthorized(WeighbridgeError):
    """No token, a bad token, or wrong credentials; answered with `WWW-Authenticate: Bearer`."""


class Forbidden(WeighbridgeError):
    """The caller may not do this."""


class NotFound(WeighbridgeError):
    """The resource does not exist (or was deleted)."""


class Conflict(WeighbridgeError):
    """The request clashes with the current state (a taken phone, a visit already open, a busy bridge)."""


class Invalid(WeighbridgeError):
    """A body that parsed but failed validation inside a service; answered as FastAPI's 422 list."""

    def __init__(self, errors: Sequence[Any]) -> None:
        super().__init__("Неверные данные")
        self.errors = list(errors)


class TooLarge(WeighbridgeError):
    """An upload over its cap."""


class TooManyAttempts(WeighbridgeError):
    """Too many logins from here; answered with `Retry-After`."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Слишком много попыток входа, повторите через {retry_after} с")
        self.retry_after = retry_after


class DeviceUnavailable(WeighbridgeError):
    """A device (controller, camera, scale) is down or the bridge is not running here."""


class DeviceTimedOut(WeighbridgeError):
    """A device did not answer in time."""


# The single place where a domain error becomes a status (the nearest mapped class wins).
STATUS: dict[type[WeighbridgeError], int] = {
    WeighbridgeError: 400,
    BadRequest: 400,
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    TooLarge: 413,
    Invalid: 422,
    TooManyAttempts: 429,
    DeviceUnavailable: 503,
    DeviceTimedOut: 504,
}


class ErrorOut(BaseModel):
    """Every error but a schema error: `{"detail": "..."}`."""

    detail: str


_DESCRIPTIONS: dict[int, str] = {
    400: "Неверный запрос",
    401: "Не авторизован: нет токена, токен недействителен или неверные данные входа",
    403: "Недостаточно прав",
    404: "Не найдено",
    409: "Конфликт с текущим состоянием",
    413: "Файл слишком большой",
    429: "Слишком много попыток входа; см. Retry-After",
    503: "Устройство недоступно",
    504: "Устройство не ответило вовремя",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route that can answer these error statuses, for its OpenAPI document."""
    return {code: {"model": ErrorOut, "description": _DESCRIPTIONS[code]} for code in codes}


def install_error_handlers(app: FastAPI) -> None:
    """Answer every WeighbridgeError as `{"detail": ...}` with its status; schema errors as FastAPI does."""

    @app.exception_handler(WeighbridgeError)
    async def weighbridge_error(_request: Request, exc: WeighbridgeError) -> JSONResponse:
        headers: dict[str, str] | None = None
        if isinstance(exc, Invalid):
            return SafeJSONResponse({"detail": jsonable_encoder(exc.errors)}, status_code=422)
        if isinstance(exc, Unauthorized):
            headers = {"WWW-Authenticate": "Bearer"}
        elif isinstance(exc, TooManyAttempts):
            headers = {"Retry-After": str(exc.retry_after)}
        return SafeJSONResponse({"detail": exc.detail}, status_code=status_in(STATUS, exc), headers=headers)

    @app.exception_handler(BodyTooLarge)
    async def body_too_large(_request: Request, exc: BodyTooLarge) -> JSONResponse:
        return JSONResponse({"detail": f"Тело запроса больше {exc.limit} байт"}, status_code=413)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's own 422 body; only the rendering differs, so an echoed lone surrogate cannot crash it.
        return SafeJSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)


WIRE_ERRORS = WireErrors(install_error_handlers, DATABASE_BUSY, DATABASE_DOWN)
