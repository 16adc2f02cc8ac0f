"""Domain errors of the scales system and how they reach the wire: FastAPI's `{"detail": "..."}`."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from opsuite.core.text import SafeJSONResponse

DATABASE_BUSY = "The server is busy; retry later"
DATABASE_DOWN = "The database is unavailable; retry later"


class ScalesError(Exception):
    """A failure with an HTTP status and a string detail; `extra` adds fields such as the scale's code."""

    status_code = 400

    def __init__(self, detail: str, *, status_code: int | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        if status_code is not None:
            self.status_code = status_code
        self.extra = extra


class NotFound(ScalesError):
    """The resource does not exist or belongs to someone else."""

    status_code = 404


class Conflict(ScalesError):
    """The request clashes with the current state."""

    status_code = 409


class DeviceBusy(Conflict):
    """Another operation holds the device's lock."""

    def __init__(self) -> None:
        super().__init__("Device is busy")


class Unauthorized(ScalesError):
    """Authentication failed."""

    status_code = 401

    def __init__(self, detail: str, *, challenge: bool = False) -> None:
        super().__init__(detail)
        self.challenge = challenge


class TooManyAttempts(ScalesError):
    """Too many logins or registrations from here; answered with `Retry-After`."""

    status_code = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Too many attempts, retry after {retry_after} seconds")
        self.retry_after = retry_after


class Forbidden(ScalesError):
    """The operation is switched off."""

    status_code = 403


class FieldInvalid(ScalesError):
    """A value failed validation; answered as FastAPI's 422 list so the client shows `loc: msg`."""

    status_code = 422

    def __init__(self, loc: tuple[str | int, ...], message: str, value: Any) -> None:
        super().__init__(message)
        self.loc = loc
        self.value = value


class ErrorOut(BaseModel):
    """Every error but a schema error: FastAPI's `{"detail": "..."}`."""

    detail: str


class ScaleErrorOut(BaseModel):
    """A scale's failure; `code` is the scale's own result code when it answered one."""

    detail: str
    code: int | None = Field(default=None, description="The scale's result code (e.g. 122, wrong password)")


_DESCRIPTIONS: dict[int, tuple[type[BaseModel], str]] = {
    400: (ErrorOut, "The cached product file has an unexpected shape"),
    401: (ErrorOut, "Not authenticated, an invalid token, an unknown user or wrong credentials"),
    403: (ErrorOut, "Registration is closed"),
    404: (ErrorOut, "Not found (also another user's device or job)"),
    429: (ErrorOut, "Too many login or registration attempts; see Retry-After"),
    409: (ErrorOut, "Conflicts with the current state: a taken name, a busy device, unsent or missing cache"),
    502: (ScaleErrorOut, "The scale answered with an error, rejected the file or broke the protocol"),
    503: (ScaleErrorOut, "The scale is unreachable, or the device password cannot be decrypted"),
    504: (ScaleErrorOut, "The scale did not answer in time"),
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
            return SafeJSONResponse({"detail": [item]}, status_code=422)
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) and exc.challenge else None
        if isinstance(exc, TooManyAttempts):
            headers = {"Retry-After": str(exc.retry_after)}
        return JSONResponse({"detail": exc.detail, **exc.extra}, status_code=exc.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's own 422 body; only the rendering differs, so an echoed lone surrogate cannot crash it.
        return SafeJSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)
