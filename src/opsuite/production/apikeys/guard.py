"""The API-key check in front of every production route: open while no key exists, closed after."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

import anyio.to_thread
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from opsuite.core.web.app import DOCS_ASSETS
from opsuite.production.apikeys.service import hash_key

log = logging.getLogger(__name__)

KEY_HEADER = "X-API-Key"
MISSING = "Требуется API-ключ: передайте заголовок Authorization: Bearer <ключ> или X-API-Key: <ключ>"
WRONG_SCHEME = (
    "Неверная схема авторизации «{scheme}»: "
    "передайте заголовок Authorization: Bearer <ключ> или X-API-Key: <ключ>"
)
INVALID = "Неверный или отозванный API-ключ"
UNAVAILABLE = "База данных недоступна: проверить API-ключ нельзя, повторите позже"
RETRY_AFTER_SECONDS = 5
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="production"'}


class ActiveKeys:
    """The hashes of the active keys, read from the database at most once per `ttl` seconds.

    A key created or revoked by another process (the CLI, another worker) takes effect here within `ttl`.
    """

    def __init__(
        self,
        load: Callable[[], frozenset[str]],
        ttl: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._load = load
        self._ttl = ttl
        self._monotonic = monotonic
        self._hashes: frozenset[str] = frozenset()
        self._expires = float("-inf")

    async def current(self) -> frozenset[str]:
        """The cached hashes, reloaded off the event loop once they are older than `ttl`."""
        if self._monotonic() >= self._expires:
            # Concurrent refreshes may overlap; each reads the same rows, so whichever lands last is right.
            self._hashes = await anyio.to_thread.run_sync(self._load)
            self._expires = self._monotonic() + self._ttl
        return self._hashes


def presented_key(headers: Iterable[tuple[bytes, bytes]]) -> str | None:
    """The key in `Authorization: Bearer <key>` or `X-API-Key: <key>`, if either is there."""
    for name, value in headers:
        lowered = name.lower()
        if lowered == b"x-api-key":
            return value.decode("latin-1").strip() or None
        if lowered == b"authorization":
            scheme, _, credentials = value.decode("latin-1").strip().partition(" ")
            if scheme.lower() == "bearer" and credentials.strip():
                return credentials.strip()
    return None


def refusal(headers: Iterable[tuple[bytes, bytes]]) -> str:
    """Why a request without a usable key is refused: no key at all, or an Authorization of another scheme."""
    for name, value in headers:
        if name.lower() == b"authorization":
            scheme = value.decode("latin-1").strip().partition(" ")[0]
            if scheme and scheme.lower() != "bearer":
                return WRONG_SCHEME.format(scheme=scheme[:32])
    return MISSING


def _unavailable(_exc: Exception) -> Response:
    return JSONResponse(
        {"detail": UNAVAILABLE}, status_code=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)}
    )


class ApiKeyGuard:
    """Pure ASGI middleware: once an active key exists, a request without one gets 401 before routing."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        keys: ActiveKeys,
        open_paths: frozenset[str],
        unavailable: Callable[[Exception], Response] | None = None,
    ) -> None:
        self.app = app
        self.keys = keys
        self.open_paths = open_paths
        self.unavailable = unavailable or _unavailable

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path in self.open_paths or path.startswith(f"{DOCS_ASSETS}/"):
            await self.app(scope, receive, send)
            return
        try:
            active = await self.keys.current()
        except Exception as exc:  # the database is down: refuse rather than let anyone in
            log.warning("API keys could not be read: %s", type(exc).__name__)
            await self.unavailable(exc)(scope, receive, send)
            return
        if active:
            key = presented_key(scope["headers"])
            if key is None or hash_key(key) not in active:
                body = {"detail": refusal(scope["headers"]) if key is None else INVALID}
                await JSONResponse(body, status_code=401, headers=_CHALLENGE)(scope, receive, send)
                return
        await self.app(scope, receive, send)
