"""DRF's wire conventions for errors: `{field: [messages]}`, bare lists for business rules, `{detail}`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from opsuite.core.limits import BodyTooLarge
from opsuite.waybills import messages

FASTAPI_BODY_UNREADABLE = "There was an error parsing the body"  # FastAPI's 400 (JSON nested too deep, say)
# 503 texts: the pool stayed full for the whole wait, or the database does not answer.
DATABASE_BUSY = "Сервер перегружен, повторите запрос позже."
DATABASE_DOWN = "База данных недоступна, повторите запрос позже."


class APIError(Exception):
    """An error answered with `status` and `body` exactly."""

    status = 400

    def __init__(self, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(body)
        self.body = body
        self.headers = headers


class FieldErrors(APIError):
    """400 `{field: [messages]}`."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)


class BusinessError(APIError):
    """400 with a bare list of messages, as the original answers rule violations on a save."""

    def __init__(self, message: str) -> None:
        super().__init__([message])
        self.message = message


class BadRequest(APIError):
    """400 `{detail}`."""

    def __init__(self, detail: str) -> None:
        super().__init__({"detail": detail})


class NotFound(APIError):
    """404 `{detail}`."""

    status = 404

    def __init__(self, detail: str = messages.NOT_FOUND) -> None:
        super().__init__({"detail": detail})


class AuthFailed(APIError):
    """401 with `WWW-Authenticate: Bearer`."""

    status = 401

    def __init__(self, detail: str) -> None:
        super().__init__({"detail": detail}, {"WWW-Authenticate": 'Bearer realm="api"'})


class PermissionDenied(APIError):
    """403 `{detail}`."""

    status = 403

    def __init__(self, detail: str = messages.PERMISSION_DENIED) -> None:
        super().__init__({"detail": detail})


class Throttled(APIError):
    """429 with `Retry-After`."""

    status = 429

    def __init__(self, wait_seconds: int) -> None:
        super().__init__(
            {"detail": messages.THROTTLED.format(wait=wait_seconds)}, {"Retry-After": str(wait_seconds)}
        )


def field_error(field: str, message: str) -> FieldErrors:
    """A FieldErrors with one message for one field."""
    return FieldErrors({field: [message]})


def install_error_handlers(app: FastAPI, check_credentials: Callable[[Request], object]) -> None:
    """Answer every error in DRF's shapes, never with FastAPI's 422 envelope.

    `check_credentials` raises AuthFailed for a request without valid credentials: FastAPI decodes JSON
    before any dependency runs, while DRF authenticates first.
    """

    @app.exception_handler(APIError)
    async def api_error(_request: Request, exc: APIError) -> JSONResponse:
        return JSONResponse(exc.body, status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(error.get("loc", ())[:1] == ("path",) for error in errors):
            return JSONResponse({"detail": messages.NOT_FOUND}, status_code=404)  # DRF: no such object
        if any(error["type"] == "json_invalid" for error in errors):
            if request.url.path != "/api/auth/login/":
                try:
                    check_credentials(request)
                except APIError as failure:
                    return JSONResponse(failure.body, status_code=failure.status, headers=failure.headers)
            return JSONResponse({"detail": messages.JSON_INVALID}, status_code=400)
        return JSONResponse(drf_errors(errors), status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = {404: messages.NOT_FOUND, 405: messages.METHOD_NOT_ALLOWED}.get(exc.status_code, exc.detail)
        if isinstance(exc, BodyTooLarge):
            detail = messages.BODY_TOO_LARGE.format(limit=exc.limit)
        elif detail == FASTAPI_BODY_UNREADABLE:
            detail = messages.JSON_INVALID
        return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=exc.headers)


def drf_errors(errors: Any) -> dict[str, list[str]]:
    """Turn pydantic errors into `{field: [Russian messages]}`."""
    out: dict[str, list[str]] = {}
    for error in errors:
        loc = [part for part in error.get("loc", ()) if part not in ("body", "query", "path")]
        field = str(loc[0]) if loc and not isinstance(loc[0], int) else "non_field_errors"
        out.setdefault(field, [])
        text = messages.for_pydantic_error(error)
        if text not in out[field]:
            out[field].append(text)
    return out
