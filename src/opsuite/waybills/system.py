"""The waybills system as the `opsuite` command sees it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from opsuite.core.db import in_one_session
from opsuite.core.system import System, checked_input
from opsuite.waybills.settings import WaybillsSettings

if TYPE_CHECKING:
    from fastapi import FastAPI

LOGIN_HINT = 'POST /api/auth/login/ {"login": "admin", "password": "admin123", "client": "web"} (demo data)'


def _app(config: WaybillsSettings) -> FastAPI:
    from opsuite.waybills.app import create_app

    return create_app(config)


def _admin(config: WaybillsSettings, username: str, password: str) -> str:
    """Create or reset the administrator; login and password follow the rules of `POST /api/users/`."""
    from pydantic import create_model

    from opsuite.waybills import messages
    from opsuite.waybills.fields import In
    from opsuite.waybills.users import admin
    from opsuite.waybills.users.schemas import UserIn

    rules = {
        name: (UserIn.model_fields[name].annotation, UserIn.model_fields[name])
        for name in ("login", "password")
    }
    model: type[In] = create_model("AdminIn", __base__=In, **rules)  # type: ignore[call-overload]

    def describe(error: dict[str, Any]) -> str:
        return f"{error['loc'][0]}: {messages.for_pydantic_error(error)}"

    checked_input(model, describe, login=username, password=password)

    return in_one_session(
        config.db_url, lambda session: admin.create_admin(session, login=username, password=password)
    )


def _demo(config: WaybillsSettings, if_empty: bool) -> str:
    from opsuite.waybills import demo

    return in_one_session(config.db_url, lambda session: demo.load(session, if_empty=if_empty))


SYSTEM: System[WaybillsSettings] = System("waybills", 8005, WaybillsSettings, _app, _admin, _demo, LOGIN_HINT)
