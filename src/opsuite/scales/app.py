"""The scales application: FastAPI's own conventions, routes at the root as the original serves them."""

from __future__ import annotations

from fastapi import FastAPI

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.core.db import Database
from opsuite.core.jobs import PeriodicScheduler, build_runner, uses_celery
from opsuite.core.throttle import build_login_throttle
from opsuite.core.web import Lifetime, build_app, include_flat
from opsuite.scales.autoupdate.router import router as autoupdate_router
from opsuite.scales.devices.interface import ScaleFactory
from opsuite.scales.errors import WIRE_ERRORS
from opsuite.scales.fleet.router import router as fleet_router
from opsuite.scales.jobs.models import Lease
from opsuite.scales.jobs.registry import job_setup
from opsuite.scales.jobs.router import router as jobs_router
from opsuite.scales.products.router import router as products_router
from opsuite.scales.runtime import build_runtime
from opsuite.scales.settings import ScalesSettings
from opsuite.scales.simulator_host import simulator_part
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
    clock: Clock = SYSTEM_CLOCK,
) -> FastAPI:
    """Build the scales app; tests pass a database, a fake scale factory and a clock."""
    settings = settings or ScalesSettings()
    runtime = build_runtime(settings, database, device_factory, clock=clock)
    setup = job_setup(runtime)
    runner = build_runner(setup, settings.core.redis_url)
    # Scaled out, Celery beat owns the schedule; in-process, N API workers share it under a lease.
    scheduler = PeriodicScheduler(
        runtime.database,
        runtime.jobs,
        Lease,
        setup.registry,
        clock=clock,
        tick=min(settings.scheduler_tick_seconds, 5.0),
    )
    schedule_here = settings.scheduler_enabled and not uses_celery(settings.core.redis_url)
    scheduled = scheduler if schedule_here else None
    lifetime = Lifetime([simulator_part(settings)], runtime.devices, runner, scheduled)
    app = build_app(runtime, "scales", DESCRIPTION, WIRE_ERRORS, lifetime)
    app.state.signing_key = settings.signing_key
    app.state.login_throttle = build_login_throttle(
        system="scales",
        limits=settings.login_limits(),
        redis_url=settings.core.redis_url,
        database=runtime.database,
        model=LoginThrottle,
    )
    app.state.runner = runner
    app.state.scheduler = scheduler
    for router in (users_router, fleet_router, products_router, autoupdate_router, jobs_router):
        include_flat(app, router)
    return app
