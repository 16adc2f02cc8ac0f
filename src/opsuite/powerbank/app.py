"""The powerbank application: the document's routes under `/api`, its envelope, port 8002."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.core.db import Database
from opsuite.core.throttle import build_login_throttle
from opsuite.core.web import Lifetime, build_app, include_flat
from opsuite.powerbank.abnormal.router import router as abnormal_router
from opsuite.powerbank.auth.router import router as auth_router
from opsuite.powerbank.commands.router import router as commands_router
from opsuite.powerbank.errors import WIRE_ERRORS
from opsuite.powerbank.favorites.router import router as favorites_router
from opsuite.powerbank.imports.router import router as imports_router
from opsuite.powerbank.locations.router import router as locations_router
from opsuite.powerbank.openapi import install_openapi
from opsuite.powerbank.org_units.router import router as org_units_router
from opsuite.powerbank.powerbanks.router import router as powerbanks_router
from opsuite.powerbank.roles.router import router as roles_router
from opsuite.powerbank.runtime import build_runtime
from opsuite.powerbank.secret_keys.router import router as secret_keys_router
from opsuite.powerbank.settings import PowerbankSettings
from opsuite.powerbank.stations.mirror_router import router as station_powerbanks_router
from opsuite.powerbank.stations.router import router as stations_router
from opsuite.powerbank.users.approval_router import router as approval_router
from opsuite.powerbank.users.models import LoginThrottle
from opsuite.powerbank.users.router import router as users_router

DESCRIPTION = """
Аренда повербанков в организациях: группы и подгруппы, пользователи с подтверждением, станции и слоты,
выдача и возврат, заказы, команды станциям.

Войдите через `POST /api/auth/login` (`phone_e164`, `password`) и передавайте
`Authorization: Bearer <token>`. Ответы — `{"success": true, "data": ..., "message": ...}`,
ошибки — `{"success": false, "error": "..."}`.
"""


def create_app(
    settings: PowerbankSettings | None = None,
    database: Database | None = None,
    *,
    clock: Clock = SYSTEM_CLOCK,
) -> FastAPI:
    """Build the powerbank app; tests pass a database and a clock."""
    settings = settings or PowerbankSettings()
    runtime = build_runtime(settings, database, clock=clock)
    app = build_app(runtime, "powerbank", DESCRIPTION, WIRE_ERRORS, Lifetime())
    app.state.signing_key = settings.signing_key
    app.state.login_throttle = build_login_throttle(
        system="powerbank",
        limits=settings.login_limits(),
        redis_url=settings.core.redis_url,
        database=runtime.database,
        model=LoginThrottle,
    )
    routers: tuple[APIRouter, ...] = (
        auth_router,
        approval_router,
        users_router,
        org_units_router,
        roles_router,
        favorites_router,
        imports_router,
        stations_router,
        secret_keys_router,
        powerbanks_router,
        commands_router,
        locations_router,
        abnormal_router,
        station_powerbanks_router,
    )
    for router in routers:
        include_flat(app, router)
    install_openapi(app)
    return app
