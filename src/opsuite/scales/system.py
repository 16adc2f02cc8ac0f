"""The scales system as the `opsuite` command sees it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from opsuite.core.db import in_one_session
from opsuite.core.system import InputRefused, SimulateOptions, System, checked_input
from opsuite.scales.settings import ScalesSettings

if TYPE_CHECKING:
    from fastapi import FastAPI

    from opsuite.core.jobs import JobSetup


def _app(config: ScalesSettings) -> FastAPI:
    from opsuite.scales.app import create_app

    return create_app(config)


def _admin(config: ScalesSettings, username: str, password: str) -> str:
    """Register (or reset the password of) the user with e-mail `username`; scales has no roles.

    The e-mail and the password follow the rules of `POST /auth/register`.
    """
    from opsuite.scales import messages
    from opsuite.scales.users import service
    from opsuite.scales.users.schemas import RegisterRequest

    checked_input(RegisterRequest, messages.for_pydantic_error, email=username, password=password)

    _user, created = in_one_session(
        config.db_url, lambda session: service.set_password(session, email=username, password=password)
    )
    return f"{'created' if created else 'password reset for'} user {username}"


def _demo(config: ScalesSettings, if_empty: bool) -> str:
    from opsuite.scales import demo
    from opsuite.scales.crypto import DeviceCipher

    cipher = DeviceCipher(config.fernet_keys)
    return in_one_session(
        config.db_url,
        lambda session: demo.load(session, cipher, if_empty=if_empty, port=config.simulator_port),
    )


def _jobs(config: ScalesSettings) -> JobSetup:
    from opsuite.scales.jobs.registry import worker_setup

    return worker_setup(config)


async def _simulate(options: SimulateOptions) -> None:
    from opsuite.scales import messages
    from opsuite.scales.devices.interface import DEFAULT_PASSWORD, is_valid_password
    from opsuite.scales.devices.simulator import Fault, ScaleSimulator, serve_simulators

    password = DEFAULT_PASSWORD if options.password is None else options.password
    if not is_valid_password(password):
        raise InputRefused(f"--password: {messages.DEVICE_PASSWORD_RULE}")
    fault = Fault(options.fault) if options.fault else None
    misbehaving = f", fault {fault.value} on every matching request" if fault else ""

    def ready(simulators: list[ScaleSimulator]) -> None:
        for sim in simulators:
            options.announce(f"scale simulator on {sim.host}:{sim.port} (password {password}{misbehaving})")

    await serve_simulators(
        options.count, options.base_port, host=options.host, password=password, fault=fault, on_ready=ready
    )


LOGIN_HINT = "POST /auth/login form username=demo@example.com password=demo1234 (demo data)"
SYSTEM: System[ScalesSettings] = System(
    "scales",
    8004,
    ScalesSettings,
    _app,
    _admin,
    _demo,
    LOGIN_HINT,
    jobs=_jobs,
    simulate=_simulate,
    # The simulator's Fault values, written out so that listing systems does not import the simulator.
    simulator_faults=(
        "wrong_password",
        "busy",
        "silent",
        "corrupt_chunk",
        "reject_file",
        "reject_file_short",
        "truncated_reply",
        "reset",
    ),
)
