"""The powerbank system as the `opsuite` command sees it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from opsuite.core.clock import SYSTEM_CLOCK
from opsuite.core.db import in_one_session
from opsuite.core.system import SimulateOptions, System
from opsuite.powerbank.settings import PowerbankSettings

if TYPE_CHECKING:
    from fastapi import FastAPI


def _app(config: PowerbankSettings) -> FastAPI:
    from opsuite.powerbank.app import create_app

    return create_app(config)


def _admin(config: PowerbankSettings, username: str, password: str) -> str:
    """Create (or reset) an active service admin who logs in with phone `username`."""
    from opsuite.powerbank.fields import normalize_phone
    from opsuite.powerbank.users import service

    phone = normalize_phone(username)
    now = SYSTEM_CLOCK.now()
    _user, created = in_one_session(
        config.db_url,
        lambda session: service.set_service_admin(session, phone=phone, password=password, now=now),
    )
    return f"{'created' if created else 'password reset for'} service admin {phone}"


def _demo(config: PowerbankSettings, if_empty: bool) -> str:
    from opsuite.powerbank import demo
    from opsuite.powerbank.crypto import KeyCipher

    cipher = KeyCipher(config.fernet_keys)
    now = SYSTEM_CLOCK.now()
    return in_one_session(
        config.db_url, lambda session: demo.load(session, cipher, now=now, if_empty=if_empty)
    )


async def _simulate(options: SimulateOptions) -> None:
    """Cabinets dialling the gateway at `host:base_port` (`opsuite simulate powerbank --port 9066`)."""
    from opsuite.powerbank.simulation.dialers import run_dialers

    await run_dialers(options)


LOGIN_HINT = "POST /api/auth/login {phone_e164: +79000000001, password: demo1234} (demo data)"
SYSTEM: System[PowerbankSettings] = System(
    "powerbank",
    8002,
    PowerbankSettings,
    _app,
    _admin,
    _demo,
    LOGIN_HINT,
    simulate=_simulate,
    # The simulator's Fault values, written out so that listing systems does not import the simulator.
    simulator_faults=("silent", "late", "bad_checksum", "wrong_token", "drop", "half_open", "jam"),
)
