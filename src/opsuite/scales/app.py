"""The scales application: FastAPI's own conventions, routes at the root as the original serves them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from opsuite.core.db import Database
from opsuite.core.jobs import Clock, JobSetup, PeriodicScheduler, build_runner, uses_celery, utcnow
from opsuite.core.throttle import build_login_throttle
from opsuite.core.web import include_flat, install_common, install_database_errors
from opsuite.scales.autoupdate.router import router as autoupdate_router
from opsuite.scales.crypto import DeviceCipher
from opsuite.scales.devices.interface import ScaleFactory
from opsuite.scales.devices.mertech import MertechScale
from opsuite.scales.errors import DATABASE_BUSY, DATABASE_DOWN, install_error_handlers
from opsuite.scales.fleet.router import router as fleet_router
from opsuite.scales.jobs.models import Job, Lease
from opsuite.scales.jobs.router import router as jobs_router
from opsuite.scales.jobs.tasks import build_registry
from opsuite.scales.products.router import router as products_router
from opsuite.scales.runtime import Runtime
from opsuite.scales.settings import ScalesSettings
from opsuite.scales.simulator_host import start_if_configured
from opsuite.scales.users.models import LoginThrottle
from opsuite.scales.users.router import router as users_router

DESCRIPTION = """
Торговые весы Mertech M-ER 725: пользователи, устройства с зашифрованными паролями, кэш товаров (PLU),
загрузка в весы и автообновление дат.

Войдите через `POST /auth/login` (форма OAuth2, `username` = e-mail) и передавайте
`Authorization: Bearer <access_token>`. Ошибки — `{"detail": "..."}`; 422 — список FastAPI.
"""


def create_app(
    settings: ScalesSettings | None = None,
    database: Database | None = None,
    device_factory: ScaleFactory | None = None,
    *,
    clock: Clock = utcnow,
) -> FastAPI:
    """Build the scales app; tests pass a database, a fake scale factory and a clock."""
    settings = settings or ScalesSettings()
    # Fails here, before serving, when the key is missing or malformed.
    cipher = DeviceCipher(settings.fernet_keys)
    database = database or Database(settings.db_url)
    runtime = Runtime(
        database=database,
        settings=settings,
        cipher=cipher,
        device_factory=device_factory or MertechScale,
        clock=clock,
    )
    registry = build_registry(runtime)
    setup = JobSetup(
        system="scales", database=database, job_model=Job, lease_model=Lease, registry=registry, clock=clock
    )
    runner = build_runner(setup, settings.core.redis_url)
    # Scaled out, Celery beat owns the schedule; in-process, N API workers share it under a lease.
    scheduler = PeriodicScheduler(
        database, Job, Lease, registry, clock=clock, tick=min(settings.scheduler_tick_seconds, 5.0)
    )
    schedule_here = settings.scheduler_enabled and not uses_celery(settings.core.redis_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        simulator = await start_if_configured(settings)
        runner.start()
        if schedule_here:
            scheduler.start()
        try:
            yield
        finally:
            scheduler.stop()
            runner.shutdown()
            if simulator is not None:
                await simulator.stop()
            database.dispose()

    app = FastAPI(title="opsuite · scales", version="1.0.0", description=DESCRIPTION, lifespan=lifespan)
    app.state.settings = settings
    app.state.runtime = runtime
    app.state.signing_key = settings.signing_key
    app.state.login_throttle = build_login_throttle(
        system="scales",
        limits=settings.login_limits(),
        redis_url=settings.core.redis_url,
        database=database,
        model=LoginThrottle,
    )
    app.state.runner = runner
    app.state.scheduler = scheduler
    install_error_handlers(app)
    install_common(
        app,
        system="scales",
        database=lambda: database,
        cors_origins=settings.cors_origins,
        body_limit=settings.body_limit_bytes,
    )
    install_database_errors(app, lambda: database, busy=DATABASE_BUSY, down=DATABASE_DOWN)
    for router in (users_router, fleet_router, products_router, autoupdate_router, jobs_router):
        include_flat(app, router)
    return app
