"""The powerbank application: the document's routes under `/api`, its envelope, port 8002."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.core.db import Database
from opsuite.core.devices import DeviceHost
from opsuite.core.throttle import build_login_throttle
from opsuite.core.web import Lifetime, build_app, include_flat
from opsuite.powerbank.abnormal.router import router as abnormal_router
from opsuite.powerbank.auth.router import router as auth_router
from opsuite.powerbank.borrow.router import router as borrow_router
from opsuite.powerbank.cabinets import wiring
from opsuite.powerbank.commands.router import router as commands_router
from opsuite.powerbank.errors import WIRE_ERRORS
from opsuite.powerbank.favorites.router import router as favorites_router
from opsuite.powerbank.imports.router import router as imports_router
from opsuite.powerbank.locations.router import router as locations_router
from opsuite.powerbank.openapi import install_openapi
from opsuite.powerbank.orders.router import active_router as active_orders_router
from opsuite.powerbank.orders.router import router as orders_router
from opsuite.powerbank.orders.user_router import router as user_orders_router
from opsuite.powerbank.org_units.router import router as org_units_router
from opsuite.powerbank.powerbanks.router import router as powerbanks_router
from opsuite.powerbank.returns.router import router as returns_router
from opsuite.powerbank.returns.router import unprefixed as unprefixed_returns_router
from opsuite.powerbank.roles.router import router as roles_router
from opsuite.powerbank.runtime import Runtime, build_runtime
from opsuite.powerbank.secret_keys.router import router as secret_keys_router
from opsuite.powerbank.settings import PowerbankSettings
from opsuite.powerbank.simulation.fleet import simulators_part
from opsuite.powerbank.simulation.router import router as simulator_router
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
    app = build_app(runtime, "powerbank", DESCRIPTION, WIRE_ERRORS, _wire_cabinets(runtime))
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
        borrow_router,
        returns_router,
        unprefixed_returns_router,
        simulator_router,
        orders_router,
        user_orders_router,
        active_orders_router,
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


def _wire_cabinets(runtime: Runtime) -> Lifetime:
    """The cabinets through Redis when scaled out; else a gateway here, the demo simulators dialling it."""
    settings = runtime.settings
    if settings.cabinets_through_redis:
        if not settings.core.redis_url:
            raise ValueError("OPSUITE_POWERBANK_CABINETS_THROUGH_REDIS needs OPSUITE_REDIS_URL")
        cabinets = wiring.through_redis(runtime, settings.core.redis_url)
        runtime.wire_cabinets(cabinets.commands)
        return Lifetime(parts=cabinets.parts)
    host = DeviceHost(clock=runtime.clock, name="powerbank-cabinets")
    cabinets = wiring.in_process(runtime, host)
    runtime.wire_cabinets(cabinets.commands)
    parts = list(cabinets.parts)
    service = cabinets.service
    if settings.simulators and service is not None:
        parts.append(simulators_part(runtime, runtime.simulators, lambda: service.bound[0]))
    return Lifetime(devices=host, parts=parts)
