"""The waybills system as the `opsuite` command sees it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from opsuite.core.db import in_one_session
from opsuite.core.system import System
from opsuite.waybills.settings import WaybillsSettings

if TYPE_CHECKING:
    from fastapi import FastAPI

LOGIN_HINT = 'POST /api/auth/login/ {"login": "admin", "password": "admin123", "client": "web"} (demo data)'


def _app(config: WaybillsSettings) -> FastAPI:
    from opsuite.waybills.app import create_app

    return create_app(config)


def _admin(config: WaybillsSettings, username: str, password: str) -> str:
    from opsuite.waybills.users import admin

    return in_one_session(
        config.db_url, lambda session: admin.create_admin(session, login=username, password=password)
    )


def _demo(config: WaybillsSettings, if_empty: bool) -> str:
    from opsuite.waybills import demo

    return in_one_session(config.db_url, lambda session: demo.load(session, if_empty=if_empty))


SYSTEM: System[WaybillsSettings] = System("waybills", 8005, WaybillsSettings, _app, _admin, _demo, LOGIN_HINT)
