"""The production application: the document's routes under `/api` (and `/api/v1`, the original's prefix)."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from starlette.middleware import Middleware

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.core.db import Database
from opsuite.core.jobs import PeriodicScheduler, build_runner, uses_celery
from opsuite.core.web import Lifetime, Part, build_app, include_flat, unavailable_response
from opsuite.core.web.app import DOC_PATHS
from opsuite.production.apikeys import service as apikeys_service
from opsuite.production.apikeys.guard import ActiveKeys, ApiKeyGuard
from opsuite.production.apikeys.openapi import install_openapi
from opsuite.production.errors import DATABASE_BUSY, DATABASE_DOWN, WIRE_ERRORS
from opsuite.production.jobs.models import Lease
from opsuite.production.jobs.setup import broker_dispatcher, build_setup
from opsuite.production.runtime import build_runtime
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
    from opsuite.production.jobs.router import router as jobs
    from opsuite.production.products.router import router as products
    from opsuite.production.reports.router import router as reports
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
        jobs,
        files,
    ]


def create_app(
    settings: ProductionSettings | None = None,
    database: Database | None = None,
    *,
    clock: Clock = SYSTEM_CLOCK,
) -> FastAPI:
    """Build the production app; tests pass a database and a clock."""
    settings = settings or ProductionSettings()
    runtime = build_runtime(settings, database, clock=clock)
    database = runtime.database
    setup = build_setup(runtime)
    registry = setup.registry
    runner = build_runner(setup, settings.core.redis_url, max_workers=settings.job_workers)
    scaled_out = uses_celery(settings.core.redis_url)
    # Scaled out, Celery workers send the webhooks and beat owns the schedule; here, this process does both
    # (the schedule under a database lease, so N API workers fire each periodic task once).
    webhook_engine = None if scaled_out else webhooks_tasks.in_process_engine(runtime)
    scheduler = PeriodicScheduler(
        database, runtime.jobs, Lease, registry, clock=clock, tick=settings.scheduler_tick_seconds
    )
    schedule_here = settings.scheduler_enabled and not scaled_out

    if webhook_engine is not None:
        delivery = Part("webhook engine", webhook_engine.start, webhook_engine.shutdown)
    else:
        dispatcher = broker_dispatcher(runtime)
        delivery = Part(
            "broker dispatcher",
            lambda: runtime.outbox.attach(dispatcher),
            lambda: runtime.outbox.detach(dispatcher),
        )
    open_paths = unguarded_paths()

    def load_active_keys() -> frozenset[str]:
        with database.session(write=False) as session:
            return apikeys_service.active_hashes(session)

    guard = Middleware(
        ApiKeyGuard,
        keys=ActiveKeys(load_active_keys, settings.api_key_cache_seconds),
        open_paths=open_paths,
        unavailable=lambda exc: unavailable_response(database, exc, busy=DATABASE_BUSY, down=DATABASE_DOWN),
    )
    lifetime = Lifetime(runner=runner, scheduler=scheduler if schedule_here else None, parts=[delivery])
    app = build_app(runtime, "production", DESCRIPTION, WIRE_ERRORS, lifetime, middleware=[guard])
    app.state.registry = registry
    app.state.runner = runner
    app.state.scheduler = scheduler
    app.state.webhook_engine = webhook_engine
    for router in routers():
        include_flat(app, router, prefix="/api")
        include_flat(app, router, prefix="/api/v1", in_schema=False)
    install_openapi(app, open_paths)
    return app


def unguarded_paths() -> frozenset[str]:
    """Paths answered without an API key: health, the API document and its pages (and `/`, which leads
    there), the webhook test sink; the pages' assets too (`ApiKeyGuard`)."""
    from opsuite.production.health.router import router as health

    # The sink receives signed deliveries, which carry no key; it stores and reads nothing.
    api_paths = [route.path for route in health.routes if isinstance(route, APIRoute)] + ["/webhooks/test"]
    return frozenset(
        ["/", "/health", *DOC_PATHS] + [prefix + path for prefix in ("/api", "/api/v1") for path in api_paths]
    )
