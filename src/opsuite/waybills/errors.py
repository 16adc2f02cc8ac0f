"""DRF's error bodies: `{field: [messages]}`, bare lists for business rules, `{detail}`; one status table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from opsuite.core.limits import BodyTooLarge
from opsuite.core.web import WireErrors
from opsuite.waybills import messages

FASTAPI_BODY_UNREADABLE = "There was an error parsing the body"  # FastAPI's 400 (JSON nested too deep, say)
# 503 texts: the pool stayed full for the whole wait, or the database does not answer.
DATABASE_BUSY = "Сервер перегружен, повторите запрос позже."
DATABASE_DOWN = "База данных недоступна, повторите запрос позже."


class WaybillsError(Exception):
    """A failure the client can act on; `STATUS` gives its status and `drf_body` its DRF body."""

    default_message = ""

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


class FieldErrors(WaybillsError):
    """Values of named fields are refused: `errors` maps each field to its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(str(errors))
        self.errors = errors


class InvalidChange(WaybillsError):
    """The data as a whole refuses the change (DRF's `non_field_errors`), a duplicate say."""


class BusinessError(WaybillsError):
    """A rule of the fuel chain or of roles refuses a save (the original raises these from `save()`)."""


class BadRequest(WaybillsError):
    """A query parameter or a login form the view refuses before touching data."""


class NotFound(WaybillsError):
    """No such live row."""

    default_message = messages.NOT_FOUND


class AuthFailed(WaybillsError):
    """The caller is not authenticated; the message says why."""


class PermissionDenied(WaybillsError):
    """The caller's role does not grant the action."""

    default_message = messages.PERMISSION_DENIED


class Throttled(WaybillsError):
    """Too many failed logins; the next attempt is allowed in `wait_seconds`."""

    def __init__(self, wait_seconds: int) -> None:
        super().__init__(messages.THROTTLED.format(wait=wait_seconds))
        self.wait_seconds = wait_seconds


# The single place where a domain error becomes a status.
STATUS: dict[type[WaybillsError], int] = {
    FieldErrors: 400,
    InvalidChange: 400,
    BusinessError: 400,
    BadRequest: 400,
    AuthFailed: 401,
    PermissionDenied: 403,
    NotFound: 404,
    Throttled: 429,
}


def drf_body(error: WaybillsError) -> Any:
    """The body DRF answers `error` with: `{field: [messages]}`, `["message"]` or `{"detail": ...}`."""
    if isinstance(error, FieldErrors):
        return error.errors
    if isinstance(error, InvalidChange):
        return {"non_field_errors": [error.message]}
    if isinstance(error, BusinessError):
        return [error.message]
    return {"detail": error.message}


def drf_headers(error: WaybillsError) -> dict[str, str] | None:
    """The headers DRF adds to `error`'s answer."""
    if isinstance(error, AuthFailed):
        return {"WWW-Authenticate": 'Bearer realm="api"'}
    if isinstance(error, Throttled):
        return {"Retry-After": str(error.wait_seconds)}
    return None


def answer(error: WaybillsError) -> JSONResponse:
    """The DRF response to a domain error."""
    return JSONResponse(drf_body(error), status_code=STATUS[type(error)], headers=drf_headers(error))


def install_error_handlers(app: FastAPI, check_credentials: Callable[[Request], object]) -> None:
    """Answer every error in DRF's shapes, never with FastAPI's 422 envelope.

    `check_credentials` raises AuthFailed for a request without valid credentials: FastAPI decodes JSON
    before any dependency runs, while DRF authenticates first.
    """

    @app.exception_handler(WaybillsError)
    async def domain_error(_request: Request, exc: WaybillsError) -> JSONResponse:
        return answer(exc)

    @app.exception_handler(IntegrityError)
    async def integrity_error(_request: Request, _exc: IntegrityError) -> JSONResponse:
        # A race lost to a live-uniqueness index: the same answer the pre-check gives.
        return answer(InvalidChange(messages.UNIQUE))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(error.get("loc", ())[:1] == ("path",) for error in errors):
            return JSONResponse({"detail": messages.NOT_FOUND}, status_code=404)  # DRF: no such object
        if any(error["type"] == "json_invalid" for error in errors):
            if request.url.path != "/api/auth/login/":
                try:
                    check_credentials(request)
                except AuthFailed as failure:
                    return answer(failure)
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


def wire_errors(check_credentials: Callable[[Request], object]) -> WireErrors:
    """The DRF envelope of every error; a 403 becomes 401 when `check_credentials` refuses the caller."""
    return WireErrors(
        lambda app: install_error_handlers(app, check_credentials), DATABASE_BUSY, DATABASE_DOWN
    )
