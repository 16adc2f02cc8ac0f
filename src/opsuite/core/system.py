"""The typed descriptor every system provides; the CLI and the index page know systems only through it."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from opsuite.core.settings import SystemSettings

if TYPE_CHECKING:
    from fastapi import FastAPI

    from opsuite.core.jobs import JobSetup

S = TypeVar("S", bound=SystemSettings)
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class SimulateOptions:
    """What `opsuite simulate SYSTEM` asks of a system's simulators."""

    count: int
    base_port: int
    host: str
    announce: Callable[[str], None]
    """Called with one line per simulator once it listens."""
    password: str | None = None
    """The devices' password (None: the simulator's default)."""
    fault: str | None = None
    """One of the system's `simulator_faults`, shown on every matching request (None: behave)."""


class InputRefused(ValueError):
    """A CLI input the system refuses (the rules of its API); the CLI prints it as one line and exits 1."""


def checked_input(model: type[M], describe: Callable[[dict[str, Any]], str], **values: Any) -> M:
    """`values` read by the API's `model`; InputRefused naming the first problem, worded by `describe`."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        raise InputRefused(describe(dict(exc.errors()[0]))) from None


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
    """(settings, username, password) -> a line saying what was done; InputRefused when the API would refuse
    the username or the password."""
    load_demo: Callable[[S, bool], str]
    """(settings, only into an empty database) -> a line saying what was loaded."""
    login_hint: str
    jobs: Callable[[S], JobSetup] | None = None
    """The background jobs, for `opsuite worker` and `opsuite beat`."""
    simulate: Callable[[SimulateOptions], Coroutine[Any, Any, None]] | None = None
    """Run this system's device simulators until cancelled."""
    api_keys: ApiKeys[S] | None = None
    simulator_faults: tuple[str, ...] = ()
    """The faults `opsuite simulate SYSTEM --fault` can inject."""

    @property
    def package(self) -> str:
        """Its package, where its `migrations/` live."""
        return f"opsuite.{self.name}"

    def migrate(self, settings: S) -> None:
        """Apply this system's migrations."""
        from opsuite.core.migrations import upgrade

        upgrade(self.package, settings.db_url)
