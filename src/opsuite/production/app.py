"""The production application: the document's routes under `/api` (and `/api/v1`, the original's prefix)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute

from opsuite.core.db import Database
from opsuite.core.jobs import Clock, PeriodicScheduler, build_runner, uses_celery, utcnow
from opsuite.core.web import include_flat, install_common, install_database_errors, unavailable_response
from opsuite.production.apikeys import service as apikeys_service
from opsuite.production.apikeys.guard import ActiveKeys, ApiKeyGuard
from opsuite.production.apikeys.openapi import install_openapi
from opsuite.production.errors import DATABASE_BUSY, DATABASE_DOWN, install_error_handlers
from opsuite.production.jobs.models import Job, Lease
from opsuite.production.jobs.setup import bind_broker_dispatcher, build_setup
from opsuite.production.runtime import Runtime
from opsuite.production.settings import ProductionSettings
from opsuite.production.webhooks import tasks as webhooks_tasks

DESCRIPTION = """
Production Control: партии (сменные задания), продукция с уникальными кодами и агрегация, рабочие центры,
фоновые задачи (агрегация, экспорт, импорт), отчёты, вебхуки с подписью и аналитика.

Аутентификация: пока не создан ни один API-ключ, API открыт (как в документе). Как только создан ключ
(`opsuite apikey create production --name ...`), каждый маршрут, кроме проверок здоровья, документации и
тестового приёмника вебхуков, требует `Authorization: Bearer <ключ>` или `X-API-Key: <ключ>` (иначе 401).

Ошибки — `{"detail": "..."}`; ошибки схемы — 422
`{"detail": "Ошибка валидации запроса", "errors": [...]}`; конфликты состояния — 409.
"""


def routers() -> list[APIRouter]:
    """Every router of the system, in the order Swagger UI lists them."""
    from opsuite.production.analytics.router import router as analytics
    from opsuite.production.batches.router import router as batches
    from opsuite.production.events.router import router as events
    from opsuite.production.exports.router import router as exports
    from opsuite.production.files.router import router as files
    from opsuite.production.health.router import router as health
    from opsuite.production.imports.router import router as imports
    from opsuite.production.products.router import router as products
    from opsuite.production.reports.router import router as reports
    from opsuite.production.tasks.router import router as tasks
    from opsuite.production.webhooks.router import router as webhooks
    from opsuite.production.work_centers.router import router as work_centers

    return [
        health,
        exports,
        imports,
        reports,
        batches,
        products,
        work_centers,
        webhooks,
        events,
        analytics,
        tasks,
        files,
    ]


def create_app(
    settings: ProductionSettings | None = None,
    database: Database | None = None,
    *,
    clock: Clock = utcnow,
) -> FastAPI:
    """Build the production app; tests pass a database and a clock."""
    settings = settings or ProductionSettings()
    database = database or Database(settings.db_url)
    runtime = Runtime(database=database, settings=settings, clock=clock)
    setup = build_setup(runtime)
    registry = setup.registry
    runner = build_runner(setup, settings.core.redis_url, max_workers=settings.job_workers)
    scaled_out = uses_celery(settings.core.redis_url)
    # Scaled out, Celery workers send the webhooks and beat owns the schedule; here, this process does both
    # (the schedule under a database lease, so N API workers fire each periodic task once).
    webhook_engine = None if scaled_out else webhooks_tasks.in_process_engine(runtime)
    scheduler = PeriodicScheduler(
        database, Job, Lease, registry, clock=clock, tick=settings.scheduler_tick_seconds
    )
    schedule_here = settings.scheduler_enabled and not scaled_out

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        runner.start()
        if webhook_engine is not None:
            webhook_engine.start()
        else:
            bind_broker_dispatcher(runtime)
        if schedule_here:
            scheduler.start()
        try:
            yield
        finally:
            scheduler.stop()
            if webhook_engine is not None:
                webhook_engine.shutdown()
            runner.shutdown()
            database.dispose()

    app = FastAPI(title="opsuite · production", version="1.0.0", description=DESCRIPTION, lifespan=lifespan)
    app.state.settings = settings
    app.state.runtime = runtime
    app.state.registry = registry
    app.state.runner = runner
    app.state.scheduler = scheduler
    app.state.webhook_engine = webhook_engine
    install_error_handlers(app)
    open_paths = unguarded_paths(app)

    def load_active_keys() -> frozenset[str]:
        with database.session(write=False) as session:
            return apikeys_service.active_hashes(session)

    # Added before install_common, so it runs inside the request-id and CORS layers: a 401 carries both.
    app.add_middleware(
        ApiKeyGuard,
        keys=ActiveKeys(load_active_keys, settings.api_key_cache_seconds),
        open_paths=open_paths,
        unavailable=lambda exc: unavailable_response(database, exc, busy=DATABASE_BUSY, down=DATABASE_DOWN),
    )
    install_common(
        app,
        system="production",
        database=lambda: database,
        cors_origins=settings.cors_origins,
        body_limit=settings.body_limit_bytes,
    )
    install_database_errors(app, lambda: database, busy=DATABASE_BUSY, down=DATABASE_DOWN)
    for router in routers():
        include_flat(app, router, prefix="/api")
        include_flat(app, router, prefix="/api/v1", in_schema=False)
    install_openapi(app, open_paths)
    return app


def unguarded_paths(app: FastAPI) -> frozenset[str]:
    """Paths answered without an API key: health, the API document and its UI, the webhook test sink."""
    from opsuite.production.health.router import router as health

    # The sink receives signed deliveries, which carry no key; it stores and reads nothing.
    api_paths = [route.path for route in health.routes if isinstance(route, APIRoute)] + ["/webhooks/test"]
    docs = [app.docs_url, app.swagger_ui_oauth2_redirect_url, app.redoc_url, app.openapi_url]
    return frozenset(
        ["/health", *(path for path in docs if path)]
        + [prefix + path for prefix in ("/api", "/api/v1") for path in api_paths]
    )
