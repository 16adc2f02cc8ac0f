"""What the `opsuite` command needs to know about the scales system."""

from __future__ import annotations

from fastapi import FastAPI

from opsuite.core.db import Database
from opsuite.core.jobs import JobSetup
from opsuite.core.migrations import upgrade
from opsuite.scales.settings import ScalesSettings

NAME = "scales"
PORT = 8004
PACKAGE = "opsuite.scales"
LOGIN_HINT = "POST /auth/login form username=demo@example.com password=demo1234 (demo data)"


def settings() -> ScalesSettings:
    """Settings from the environment."""
    return ScalesSettings()


def create_app(config: ScalesSettings) -> FastAPI:
    """The ASGI app."""
    from opsuite.scales.app import create_app as build

    return build(config)


def migrate(config: ScalesSettings) -> None:
    """Apply the migrations."""
    upgrade(PACKAGE, config.db_url)


def create_admin(config: ScalesSettings, username: str, password: str) -> str:
    """Register (or reset the password of) the user with e-mail `username`; scales has no roles."""
    from opsuite.scales.users import service

    database = Database(config.db_url)
    try:
        with database.session() as session:
            _user, created = service.set_password(session, email=username, password=password)
        return f"{'created' if created else 'password reset for'} user {username}"
    finally:
        database.dispose()


def load_demo(config: ScalesSettings, *, if_empty: bool = False) -> str:
    """Load the demo user and device; with `if_empty`, only into a database without users."""
    from opsuite.scales import demo
    from opsuite.scales.crypto import DeviceCipher

    database = Database(config.db_url)
    try:
        with database.session() as session:
            return demo.load(session, DeviceCipher(config.fernet_keys), if_empty=if_empty)
    finally:
        database.dispose()


def jobs(config: ScalesSettings) -> JobSetup:
    """The background jobs, for `opsuite worker scales` and `opsuite beat scales`."""
    from opsuite.scales.crypto import DeviceCipher
    from opsuite.scales.devices.mertech import MertechScale
    from opsuite.scales.jobs.models import Job, Lease
    from opsuite.scales.jobs.tasks import build_registry
    from opsuite.scales.runtime import Runtime

    database = Database(config.db_url)
    runtime = Runtime(
        database=database,
        settings=config,
        cipher=DeviceCipher(config.fernet_keys),
        device_factory=MertechScale,
    )
    return JobSetup(
        system=NAME,
        database=database,
        job_model=Job,
        lease_model=Lease,
        registry=build_registry(runtime),
        clock=runtime.clock,
    )
