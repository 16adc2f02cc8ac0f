"""API keys from the command line: each call opens the database, does one thing, and closes it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from opsuite.core.clock import utcnow
from opsuite.core.db import Database
from opsuite.production.apikeys import service
from opsuite.production.errors import ProductionError
from opsuite.production.settings import ProductionSettings

KEY_ROW = tuple[str, str, str, str, str]
"""id, name, shown prefix, created at, revoked at (empty while active)."""


@contextmanager
def _session(config: ProductionSettings) -> Iterator[Session]:
    database = Database(config.db_url)
    try:
        with database.session() as session:
            yield session
    except ProductionError as error:
        raise ValueError(error.detail) from None
    finally:
        database.dispose()


def create(config: ProductionSettings, name: str) -> tuple[str, str]:
    """Create a key; returns its id and the key, which is not stored and cannot be shown again."""
    with _session(config) as session:
        created = service.create_key(session, name=name, now=utcnow())
        return str(created.row.uuid), created.key


def rows(config: ProductionSettings) -> list[KEY_ROW]:
    """Every key as text columns."""
    with _session(config) as session:
        return [
            (
                str(key.uuid),
                key.name,
                key.prefix + "…",
                key.created_at.isoformat(timespec="seconds"),
                key.revoked_at.isoformat(timespec="seconds") if key.revoked_at else "",
            )
            for key in service.list_keys(session)
        ]


def revoke(config: ProductionSettings, ref: str) -> str:
    """Revoke the key named by id, shown prefix or name; returns a line saying which."""
    with _session(config) as session:
        key = service.revoke_key(session, ref=ref, now=utcnow())
        return f"API key {key.name!r} ({key.uuid}) revoked at {key.revoked_at:%Y-%m-%d %H:%M:%S} UTC"


def access_line(config: ProductionSettings, cache_seconds: float) -> str:
    """What `serve` says about who may call production."""
    try:
        with _session(config) as session:
            active = len(service.active_hashes(session))
    except Exception as exc:  # not migrated yet, or the database is down: say so, do not stop serving
        return f"API keys could not be read ({type(exc).__name__}); requests are refused until they can"
    if not active:
        return (
            "no API keys, open to anyone who can reach the port (opsuite apikey create production --name ...)"
        )
    return (
        f"{active} active API key(s): every route but health needs one; "
        f"a revoked key stops working within {cache_seconds:g} s"
    )
