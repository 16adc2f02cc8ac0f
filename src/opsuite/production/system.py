"""What the `opsuite` command needs to know about the production system."""

from __future__ import annotations

from fastapi import FastAPI

from opsuite.core.jobs import JobSetup
from opsuite.core.migrations import upgrade
from opsuite.production.settings import ProductionSettings

NAME = "production"
PORT = 8003
PACKAGE = "opsuite.production"
LOGIN_HINT = "an API key once any exists (opsuite apikey create production --name ...)"


def settings() -> ProductionSettings:
    """Settings from the environment."""
    return ProductionSettings()


def create_app(config: ProductionSettings) -> FastAPI:
    """The ASGI app."""
    from opsuite.production.app import create_app as build

    return build(config)


def migrate(config: ProductionSettings) -> None:
    """Apply the migrations."""
    upgrade(PACKAGE, config.db_url)


def jobs(config: ProductionSettings) -> JobSetup:
    """The background jobs, for `opsuite worker production` and `opsuite beat production`."""
    from opsuite.core.db import Database
    from opsuite.production.jobs.setup import bind_broker_dispatcher, build_setup
    from opsuite.production.runtime import Runtime

    runtime = Runtime(database=Database(config.db_url), settings=config)
    bind_broker_dispatcher(runtime)
    return build_setup(runtime)


def create_admin(config: ProductionSettings, username: str, password: str) -> str:
    """The document has no users; nothing to create."""
    return "production has no users: its API needs no authentication"


def create_api_key(config: ProductionSettings, name: str) -> tuple[str, str]:
    """Create an API key: (id, key); the key is shown once."""
    from opsuite.production.apikeys import admin

    return admin.create(config, name)


def list_api_keys(config: ProductionSettings) -> list[tuple[str, str, str, str, str]]:
    """Every API key: id, name, shown prefix, created at, revoked at."""
    from opsuite.production.apikeys import admin

    return admin.rows(config)


def revoke_api_key(config: ProductionSettings, ref: str) -> str:
    """Revoke an API key by id, shown prefix or name."""
    from opsuite.production.apikeys import admin

    return admin.revoke(config, ref)


def access_line(config: ProductionSettings) -> str:
    """Who may call the API, for the start lines of `serve`."""
    from opsuite.production.apikeys import admin

    return admin.access_line(config, config.api_key_cache_seconds)


def load_demo(config: ProductionSettings, *, if_empty: bool = False) -> str:
    """Load demo work centers, batches and products."""
    from opsuite.core.db import Database
    from opsuite.production import demo

    database = Database(config.db_url)
    try:
        with database.session() as session:
            return demo.load(session, if_empty=if_empty)
    finally:
        database.dispose()
