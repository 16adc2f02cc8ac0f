"""The weighbridge application: the document's routes under `/api/v1`, the operator page at `/`."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.core.db import Database
from opsuite.core.throttle import build_login_throttle
from opsuite.core.web import Lifetime, build_app, include_flat
from opsuite.weighbridge.bridge_settings.router import router as settings_router
from opsuite.weighbridge.errors import WIRE_ERRORS
from opsuite.weighbridge.hardware.router import router as hardware_router
from opsuite.weighbridge.page.router import router as page_router
from opsuite.weighbridge.photos.router import router as photos_router
from opsuite.weighbridge.process.anpr_router import router as anpr_router
from opsuite.weighbridge.process.equip import equip
from opsuite.weighbridge.process.router import router as process_router
from opsuite.weighbridge.products.router import router as products_router
from opsuite.weighbridge.reports.router import router as reports_router
from opsuite.weighbridge.runtime import WeighbridgeRuntime, build_runtime
from opsuite.weighbridge.settings import WeighbridgeSettings
from opsuite.weighbridge.simulation.router import router as simulator_router
from opsuite.weighbridge.trucks.router import router as trucks_router
from opsuite.weighbridge.users.models import LoginThrottle
from opsuite.weighbridge.users.router import router as users_router

API_PREFIX = "/api/v1"

DESCRIPTION = """
Автовесы: двухпроходное взвешивание, шлагбаумы и датчики (Modbus), весовой терминал, камеры, журнал, отчёты.

Войдите через `POST /api/v1/auth/login` (форма OAuth2, `username` — номер телефона) и передавайте
`Authorization: Bearer <access_token>`; WebSocket — с `?token=`. Ошибки — `{"detail": "..."}`; 422 — список
FastAPI. Веса — в килограммах.
"""

ROUTERS: list[APIRouter] = [
    users_router,
    trucks_router,
    products_router,
    settings_router,
    photos_router,
    reports_router,
    process_router,
    hardware_router,
    anpr_router,
    simulator_router,
]
"""The document's routers, mounted under API_PREFIX."""


def create_app(
    settings: WeighbridgeSettings | None = None,
    database: Database | None = None,
    *,
    clock: Clock = SYSTEM_CLOCK,
    runtime: WeighbridgeRuntime | None = None,
    lifetime: Lifetime = Lifetime(),
) -> FastAPI:
    """Build the weighbridge app; tests pass a database and a clock (or a whole runtime)."""
    settings = settings or WeighbridgeSettings()
    runtime = runtime or build_runtime(settings, database, clock=clock)
    # the live hub; the bridge and its devices where this process owns them
    lifetime = equip(runtime, lifetime)
    # `/` is the operator page's (weighbridge/page), not a redirect to /docs.
    app = build_app(runtime, "weighbridge", DESCRIPTION, WIRE_ERRORS, lifetime, root_redirect=False)
    app.state.login_throttle = build_login_throttle(
        system="weighbridge",
        limits=settings.login_limits(),
        redis_url=settings.core.redis_url,
        database=runtime.database,
        model=LoginThrottle,
    )
    for router in ROUTERS:
        include_flat(app, router, prefix=API_PREFIX)
    include_flat(app, page_router)
    return app
