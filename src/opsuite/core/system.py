"""The typed descriptor every system provides; the CLI and the index page know systems only through it."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from opsuite.core.settings import SystemSettings

if TYPE_CHECKING:
    from fastapi import FastAPI

    from opsuite.core.jobs import JobSetup

S = TypeVar("S", bound=SystemSettings)


@dataclass(frozen=True)
class SimulateOptions:
    """What `opsuite simulate SYSTEM` asks of a system's simulators."""

    count: int
    base_port: int
    host: str
    announce: Callable[[str], None]
    """Called with one line per simulator once it listens."""


@dataclass(frozen=True)
class ApiKeys(Generic[S]):
    """The `opsuite apikey` commands, for a system whose API is guarded by keys."""

    create: Callable[[S, str], tuple[str, str]]
    """(settings, name) -> (id, key); the key is shown once."""
    rows: Callable[[S], list[tuple[str, str, str, str, str]]]
    """Every key: id, name, shown prefix, created at, revoked at."""
    revoke: Callable[[S, str], str]
    """(settings, id, prefix or name) -> what was revoked."""
    access_line: Callable[[S], str]
    """Who may call the API now, printed by `serve`."""


@dataclass(frozen=True)
class System(Generic[S]):
    """One system: its name, port, settings, app, migrations, administrators, demo data, jobs, simulators.

    Heavy parts are imported lazily by the callables, so listing systems stays cheap.
    """

    name: str
    port: int
    settings: Callable[[], S]
    create_app: Callable[[S], FastAPI]
    create_admin: Callable[[S, str, str], str]
    """(settings, username, password) -> a line saying what was done."""
    load_demo: Callable[[S, bool], str]
    """(settings, only into an empty database) -> a line saying what was loaded."""
    login_hint: str
    jobs: Callable[[S], JobSetup] | None = None
    """The background jobs, for `opsuite worker` and `opsuite beat`."""
    simulate: Callable[[SimulateOptions], Coroutine[Any, Any, None]] | None = None
    """Run this system's device simulators until cancelled."""
    api_keys: ApiKeys[S] | None = None

    @property
    def package(self) -> str:
        """Its package, where its `migrations/` live."""
        return f"opsuite.{self.name}"

    def migrate(self, settings: S) -> None:
        """Apply this system's migrations."""
        from opsuite.core.migrations import upgrade

        upgrade(self.package, settings.db_url)
