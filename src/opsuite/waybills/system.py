"""What the `opsuite` command needs to know about the waybills system."""

from __future__ import annotations

from fastapi import FastAPI

from opsuite.core.db import Database
from opsuite.core.migrations import upgrade
from opsuite.waybills.settings import WaybillsSettings

NAME = "waybills"
PORT = 8005
PACKAGE = "opsuite.waybills"
LOGIN_HINT = 'POST /api/auth/login/ {"login": "admin", "password": "admin123", "client": "web"} (demo data)'


def settings() -> WaybillsSettings:
    """Settings from the environment."""
    return WaybillsSettings()


def create_app(config: WaybillsSettings) -> FastAPI:
    """The ASGI app."""
    from opsuite.waybills.app import create_app as build

    return build(config)


def migrate(config: WaybillsSettings) -> None:
    """Apply the migrations."""
    upgrade(PACKAGE, config.db_url)


def create_admin(config: WaybillsSettings, username: str, password: str) -> str:
    """Create (or reset) an administrator whose login is `username`."""
    from opsuite.waybills.users import admin

    database = Database(config.db_url)
    try:
        with database.session() as session:
            return admin.create_admin(session, login=username, password=password)
    finally:
        database.dispose()


def load_demo(config: WaybillsSettings, *, if_empty: bool = False) -> str:
    """Load the demo fleet; with `if_empty`, only into a database without cars."""
    from opsuite.waybills import demo

    database = Database(config.db_url)
    try:
        with database.session() as session:
            return demo.load(session, if_empty=if_empty)
    finally:
        database.dispose()
