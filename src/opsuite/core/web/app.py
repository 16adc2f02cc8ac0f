"""The app builder: what every system's app gets from core."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import anyio.to_thread
from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse
from fastapi_offline import FastAPIOffline
from starlette.middleware import Middleware

from opsuite.core.db import Database
from opsuite.core.devices import DeviceHost
from opsuite.core.jobs import JobRunner, PeriodicScheduler
from opsuite.core.limits import DEFAULT_BODY_LIMIT, BodyLimitMiddleware
from opsuite.core.logs import note_app_system
from opsuite.core.runtime import Runtime
from opsuite.core.text import refuse_unsafe_url
from opsuite.core.web.context import Metrics, RequestContextMiddleware
from opsuite.core.web.database import DatabaseStartupCheck, health_response, install_database_errors
from opsuite.core.web.lifespan import Part, lifespan_of

DOCS_ASSETS = "/docs/assets"
"""Where Swagger UI's and ReDoc's scripts, styles and icon are served from."""
DOC_PATHS = frozenset(["/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"])
"""The API document and its two pages (their assets live under `DOCS_ASSETS`)."""


def install_common(
    app: FastAPI,
    *,
    system: str,
    database: Callable[[], Database],
    cors_origins: list[str],
    body_limit: int = DEFAULT_BODY_LIMIT,
) -> Metrics:
    """Add request context, CORS, a body limit, `/metrics` and `/health` to a system's app."""
    note_app_system(system)
    metrics = Metrics(system)
    app.add_middleware(BodyLimitMiddleware, limit=body_limit)
    app.router.dependencies.append(Depends(refuse_unsafe_url))  # routes added from here on
    if cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=cors_origins,
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["*"],
        )
    app.add_middleware(RequestContextMiddleware, metrics=metrics)
    app.add_middleware(DatabaseStartupCheck, system=system, database=database)

    @app.get("/metrics", include_in_schema=False)
    def metrics_endpoint() -> PlainTextResponse:
        return PlainTextResponse(metrics.render(), media_type="text/plain; version=0.0.4")

    @app.get("/health", tags=["health"], summary="Liveness and database check")
    async def health() -> JSONResponse:
        checked = database()
        if checked.is_sqlite:  # `SELECT 1` over the loop's own connection: bounded, and no thread to wait for
            return health_response(system, checked, on_loop=True)
        return await anyio.to_thread.run_sync(health_response, system, checked)

    return metrics


@dataclass(frozen=True)
class WireErrors:
    """How a system answers errors: the handlers of its envelope, its words for a busy and a down database."""

    install: Callable[[FastAPI], None]
    busy: str
    down: str


@dataclass(frozen=True)
class Lifetime:
    """What lives as long as a system's app: started in this order, stopped in reverse.

    Simulators first and the device host next, so devices find their simulators listening and jobs find the
    devices; then the job runner, the periodic scheduler and the system's other parts. No job loses its
    device host while it runs.
    """

    simulators: Sequence[Part] = ()
    devices: DeviceHost | None = None
    runner: JobRunner | None = None
    scheduler: PeriodicScheduler | None = None
    parts: Sequence[Part] = ()

    def in_order(self) -> list[Part]:
        """Every part, in the order they start."""
        return [
            *self.simulators,
            *([Part("device host", self.devices.start, self.devices.stop)] if self.devices else []),
            *([Part("job runner", self.runner.start, self.runner.shutdown)] if self.runner else []),
            *([Part("scheduler", self.scheduler.start, self.scheduler.stop)] if self.scheduler else []),
            *self.parts,
        ]


def build_app(
    runtime: Runtime,
    system: str,
    description: str,
    errors: WireErrors,
    lifetime: Lifetime = Lifetime(),
    *,
    middleware: Sequence[Middleware] = (),
    root_redirect: bool = True,
) -> FastAPI:
    """A system's app with what core gives every system.

    The lifespan starts the `lifetime`'s parts and stops them in reverse, the database last. The app gets the
    system's error handlers, `middleware` inside the request context, request id, CORS, body limit,
    `/metrics`, `/health`, and 503 (in the system's words) when the database cannot answer. `GET /`
    redirects to `/docs` unless the system serves a page there (`root_redirect=False`).
    """
    database = runtime.database
    app = FastAPIOffline(
        title=f"opsuite · {system}",
        version="1.0.0",
        description=description,
        lifespan=lifespan_of(system, database, lifetime.in_order()),
        static_url=DOCS_ASSETS,
    )
    if root_redirect:

        @app.get("/", include_in_schema=False)
        def root() -> RedirectResponse:
            return RedirectResponse("/docs")

    app.state.runtime = runtime
    app.state.settings = runtime.settings
    errors.install(app)
    # Added before install_common, so they run inside the request-id and CORS layers.
    for layer in middleware:
        app.add_middleware(layer.cls, *layer.args, **layer.kwargs)
    install_common(
        app,
        system=system,
        database=lambda: database,
        cors_origins=runtime.settings.cors_origins,
        body_limit=runtime.settings.body_limit_bytes,
    )
    install_database_errors(app, lambda: database, busy=errors.busy, down=errors.down)
    return app
