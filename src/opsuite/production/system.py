"""The production system as the `opsuite` command sees it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from opsuite.core.system import ApiKeys, InputRefused, System
from opsuite.production.apikeys import admin
from opsuite.production.settings import ProductionSettings

if TYPE_CHECKING:
    from fastapi import FastAPI

    from opsuite.core.jobs import JobSetup


def _app(config: ProductionSettings) -> FastAPI:
    from opsuite.production.app import create_app

    return create_app(config)


def _jobs(config: ProductionSettings) -> JobSetup:
    from opsuite.production.jobs.setup import worker_setup

    return worker_setup(config)


def _admin(_config: ProductionSettings, _username: str, _password: str) -> str:
    raise InputRefused(
        "production has no users to create: its API is guarded by API keys "
        "(opsuite apikey create production --name ...)"
    )


def _demo(config: ProductionSettings, if_empty: bool) -> str:
    from opsuite.production import demo
    from opsuite.production.runtime import build_runtime

    # No dispatcher is attached: deliveries of the demo's events wait for the sweeper of the running app.
    runtime = build_runtime(config)
    try:
        with runtime.database.session() as session:
            return demo.load(session, outbox=runtime.outbox, settings=config, if_empty=if_empty)
    finally:
        runtime.database.dispose()


def _access(config: ProductionSettings) -> str:
    return admin.access_line(config, config.api_key_cache_seconds)


LOGIN_HINT = "an API key once any exists (opsuite apikey create production --name ...)"
KEYS = ApiKeys(admin.create, admin.rows, admin.revoke, _access)
SYSTEM: System[ProductionSettings] = System(
    "production", 8003, ProductionSettings, _app, _admin, _demo, LOGIN_HINT, _jobs, api_keys=KEYS
)
