"""The weighbridge system as the `opsuite` command sees it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from opsuite.core.db import in_one_session
from opsuite.core.system import SimulateOptions, System
from opsuite.weighbridge.settings import WeighbridgeSettings

if TYPE_CHECKING:
    from fastapi import FastAPI


def _app(config: WeighbridgeSettings) -> FastAPI:
    from opsuite.weighbridge.app import create_app

    return create_app(config)


def _admin(config: WeighbridgeSettings, username: str, password: str) -> str:
    """Create an active superuser with phone `username`, or reset its password and make it one."""
    from opsuite.weighbridge.users import service

    user, created = in_one_session(
        config.db_url, lambda session: service.set_superuser(session, phone=username, password=password)
    )
    return f"{'created' if created else 'password reset for'} superuser {user.phone_number}"


def _demo(config: WeighbridgeSettings, if_empty: bool) -> str:
    from opsuite.weighbridge import demo

    return in_one_session(config.db_url, lambda session: demo.load(session, if_empty=if_empty))


async def _simulate(options: SimulateOptions) -> None:
    from opsuite.weighbridge.simulation.standalone import simulate

    await simulate(options)


LOGIN_HINT = "POST /api/v1/auth/login form username=+998901234567 password=demo1234 (demo superuser)"
SYSTEM: System[WeighbridgeSettings] = System(
    "weighbridge", 8001, WeighbridgeSettings, _app, _admin, _demo, LOGIN_HINT, simulate=_simulate
)
