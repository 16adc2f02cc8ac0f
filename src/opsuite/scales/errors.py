"""Domain errors of the scales system, the one table mapping them to statuses, and their wire bodies."""

from __future__ import annotations

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
from opsuite.scales import messages


class ScalesError(DomainError):
    """A failure the client can act on; its class decides the status through `STATUS`."""


class NotFound(ScalesError):
    """The resource does not exist or belongs to someone else."""


class Conflict(ScalesError):
    """The request clashes with the current state."""


class DeviceBusy(Conflict):
    """Another operation holds the device's lock."""

    def __init__(self) -> None:
        super().__init__(messages.DEVICE_BUSY)


class NetworkRefused(Conflict):
    """At connect time, the device's host resolves outside the networks devices may live in."""


class BadCache(ScalesError):
    """The cached product file has a shape the system cannot edit."""


class Unauthorized(ScalesError):
    """Authentication failed; `challenge` asks the client for a bearer token."""

    def __init__(self, detail: str, *, challenge: bool = False) -> None:
        super().__init__(detail)
        self.challenge = challenge


class TooManyAttempts(ScalesError):
    """Too many logins or registrations from here; answered with `Retry-After`."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(messages.TOO_MANY_ATTEMPTS.format(seconds=retry_after))
        self.retry_after = retry_after


class Forbidden(ScalesError):
    """The operation is switched off."""


class FieldInvalid(ScalesError):
    """A value failed validation; answered as FastAPI's 422 list so the client shows `loc: msg`.

    `rule` is the Russian rule without the field's label; the detail reads `Цена: от 0 до 1 000 000`.
    """

    def __init__(self, loc: tuple[str | int, ...], rule: str, value: Any) -> None:
        super().__init__(messages.field_error(loc, rule))
        self.loc = loc
        self.value = value


class PasswordUndecryptable(ScalesError):
    """A stored device password cannot be decrypted with the configured keys."""


class ScaleFailed(ScalesError):
    """A scale broke the protocol, sent a file the system cannot use, or refused the one it was sent."""


class ScaleAnswered(ScaleFailed):
    """The scale answered a non-zero result code."""

    def __init__(self, detail: str, *, code: int) -> None:
        super().__init__(detail)
        self.code = code


class ScaleTimedOut(ScaleFailed):
    """The scale did not answer within its bounds."""


class ScaleUnreachable(ScaleFailed):
    """The scale could not be reached or dropped the connection."""


# The single place where a domain error becomes a status (the nearest mapped class wins).
STATUS: dict[type[ScalesError], int] = {
    ScalesError: 400,
    BadCache: 400,
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    FieldInvalid: 422,
    TooManyAttempts: 429,
    ScaleFailed: 502,
    PasswordUndecryptable: 503,
    ScaleUnreachable: 503,
    ScaleTimedOut: 504,
}


def status_of(error: ScalesError) -> int:
    """The HTTP status of a domain error (the nearest mapped class wins)."""
    return status_in(STATUS, error)


def body_of(error: ScalesError) -> dict[str, Any]:
    """The wire body of a domain error: `{"detail": ...}`, with the scale's `code` when it answered one."""
    if isinstance(error, ScaleAnswered):
        return {"detail": error.detail, "code": error.code}
    return {"detail": error.detail}


class ErrorOut(BaseModel):
    """Every error but a schema error: FastAPI's `{"detail": "..."}`."""

    detail: str


class ScaleErrorOut(BaseModel):
    """A scale's failure; `code` is the scale's own result code when it answered one."""

    detail: str
    code: int | None = Field(default=None, description="The scale's result code (e.g. 122, wrong password)")


_DESCRIPTIONS: dict[int, tuple[type[BaseModel], str]] = {
    400: (ErrorOut, "Кэш товаров имеет неверный формат"),
    401: (ErrorOut, "Нет токена, неверная схема, истёкший или неверный токен, неверный e-mail или пароль"),
    403: (ErrorOut, "Регистрация закрыта"),
    404: (ErrorOut, "Не найдено (в том числе чужое устройство или задача)"),
    409: (
        ErrorOut,
        "Конфликт: занятое имя, занятое устройство, незагруженный или пустой кэш",
    ),
    429: (ErrorOut, "Слишком много попыток входа или регистрации; см. Retry-After"),
    502: (ScaleErrorOut, "Весы ответили ошибкой, отклонили файл или нарушили протокол"),
    503: (ScaleErrorOut, "Весы недоступны, или пароль устройства не расшифровывается"),
    504: (ScaleErrorOut, "Весы не ответили вовремя"),
}

SCALE_FAILURES = (502, 503, 504)


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route that can answer these error statuses, for its OpenAPI document."""
    return {code: {"model": _DESCRIPTIONS[code][0], "description": _DESCRIPTIONS[code][1]} for code in codes}


def install_error_handlers(app: FastAPI) -> None:
    """Answer every ScalesError as `{"detail": ...}` with its status, and schema errors as FastAPI does."""

    @app.exception_handler(ScalesError)
    async def scales_error(_request: Request, exc: ScalesError) -> JSONResponse:
        if isinstance(exc, FieldInvalid):
            item = {"type": "value_error", "loc": list(exc.loc), "msg": exc.detail, "input": exc.value}
            return SafeJSONResponse({"detail": [item], "message": exc.detail}, status_code=422)
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) and exc.challenge else None
        if isinstance(exc, TooManyAttempts):
            headers = {"Retry-After": str(exc.retry_after)}
        return JSONResponse(body_of(exc), status_code=status_of(exc), headers=headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's 422 list with Russian `msg`s, rendered so that an echoed lone surrogate cannot crash it.
        errors = [{**error, "msg": messages.for_pydantic_error(error)} for error in exc.errors()]
        readable = "; ".join(dict.fromkeys(error["msg"] for error in errors))
        return SafeJSONResponse({"detail": jsonable_encoder(errors), "message": readable}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        detail = {404: messages.NOT_FOUND, 405: messages.METHOD_NOT_ALLOWED}.get(exc.status_code, detail)
        if isinstance(exc, BodyTooLarge):
            detail = messages.BODY_TOO_LARGE.format(limit=exc.limit)
        elif detail == messages.FASTAPI_BODY_UNREADABLE:
            detail = messages.BODY_UNREADABLE
        return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=exc.headers)


WIRE_ERRORS = WireErrors(install_error_handlers, messages.DATABASE_BUSY, messages.DATABASE_DOWN)
