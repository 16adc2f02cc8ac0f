"""What the `opsuite` command needs to know about the production system."""

from __future__ import annotations

from fastapi import FastAPI

from opsuite.core.jobs import JobSetup
from opsuite.core.migrations import upgrade
from opsuite.production.settings import ProductionSettings

NAME = "production"
PORT = 8003
PACKAGE = "opsuite.production"
LOGIN_HINT = "no login: the document's API needs no authentication"


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
