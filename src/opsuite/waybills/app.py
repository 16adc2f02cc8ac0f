"""The waybills application: DRF-style API under /api/."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from starlette.middleware import Middleware

from opsuite.core.db import Database
from opsuite.core.web import build_app, include_flat
from opsuite.core.web.redirects import RedirectBodyMiddleware
from opsuite.waybills import messages
from opsuite.waybills.auth.router import router as auth_router
from opsuite.waybills.auth.service import read_token
from opsuite.waybills.errors import wire_errors
from opsuite.waybills.fleet.router import router as fleet_router
from opsuite.waybills.openapi import ERROR_RESPONSES, install_openapi
from opsuite.waybills.reports.router import router as reports_router
from opsuite.waybills.roles.router import router as roles_router
from opsuite.waybills.runtime import build_runtime
from opsuite.waybills.settings import WaybillsSettings
from opsuite.waybills.sheets.router import router as sheets_router
from opsuite.waybills.users.router import router as users_router

DESCRIPTION = """
Путевые листы: легковые и пожарные автомобили, нормы расхода, цепочка показаний одометра и топлива,
путевые листы и их строки с расчётом топлива на сервере.

Войдите через `POST /api/auth/login/` и передавайте `Authorization: Bearer <access>`.
Ошибки — в формате DRF: `{"поле": ["сообщение"]}`, `["сообщение"]` или `{"detail": "..."}`.
"""

RESOURCES = (
    "roles", "permissions", "users", "passenger-cars", "passenger-car-norms", "passenger-car-odometer-fuel",
    "passenger-car-waybills", "passenger-car-records", "fire-trucks", "fire-truck-norms",
    "fire-truck-odometer-fuel", "fire-truck-waybills", "fire-truck-records",
)  # fmt: skip


def create_app(settings: WaybillsSettings | None = None, database: Database | None = None) -> FastAPI:
    """Build the waybills app on `settings` (and an existing `database`, as tests do)."""
    runtime = build_runtime(settings or WaybillsSettings(), database)

    errors = wire_errors(lambda request: read_token(request.headers.get("authorization"), runtime.tokens))
    # A POST without its trailing slash is redirected by the router with an empty 307: say where to go.
    moved = Middleware(
        RedirectBodyMiddleware, body=lambda location: {"detail": messages.MOVED.format(location=location)}
    )
    app = build_app(runtime, "waybills", DESCRIPTION, errors, middleware=[moved])

    api = APIRouter()

    @api.get("/", tags=["api"], summary="API root: links to every resource")
    def api_root(request: Request) -> dict[str, str]:
        base = str(request.base_url).rstrip("/")
        return {name: f"{base}/api/{name}/" for name in RESOURCES}

    for router in (api, auth_router, roles_router, users_router, fleet_router, sheets_router, reports_router):
        include_flat(app, router, prefix="/api", responses=ERROR_RESPONSES)
    install_openapi(app)
    return app
