"""Domain errors of the scales system and how they reach the wire: FastAPI's `{"detail": "..."}`."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse


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


def install_error_handlers(app: FastAPI) -> None:
    """Answer every ScalesError as `{"detail": ...}` with its status."""

    @app.exception_handler(ScalesError)
    async def scales_error(_request: Request, exc: ScalesError) -> JSONResponse:
        if isinstance(exc, FieldInvalid):
            item = {"type": "value_error", "loc": list(exc.loc), "msg": exc.detail, "input": exc.value}
            return JSONResponse({"detail": [item]}, status_code=422)
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) and exc.challenge else None
        return JSONResponse({"detail": exc.detail, **exc.extra}, status_code=exc.status_code, headers=headers)
