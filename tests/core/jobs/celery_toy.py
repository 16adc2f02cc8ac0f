"""A toy system with background jobs, run by a real Celery worker in the Celery tests.

The worker subprocess runs `python -m tests.core.jobs.celery_toy worker NAME ...`: this registers the toy
as system NAME and hands over to the real `opsuite` command, so the CLI's worker and beat are what run.
Configuration comes from the environment (CELERY_TOY_DB_URL, CELERY_TOY_DIR, CELERY_TOY_SYSTEM).
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import DeclarativeBase

from opsuite.core.db import Database, new_metadata
from opsuite.core.jobs import JobMixin, JobQueue, JobSetup, LeaseMixin, TaskContext, TaskRegistry
from opsuite.core.system import System

MODULE = "tests.core.jobs.celery_toy"
BLOCK_TIMEOUT = timedelta(seconds=2)
TICK_EVERY = timedelta(hours=1)


class ToyBase(DeclarativeBase):
    metadata = new_metadata()


# The same tables as tests/core/conftest.py's, so the toy runs on the core tests' databases.
class Job(JobMixin, ToyBase):
    pass


class Lease(LeaseMixin, ToyBase):
    pass


@dataclass(frozen=True)
class ToyConfig:
    system: str
    db_url: str
    dir: Path
    tick_seconds: float = TICK_EVERY.total_seconds()


def settings() -> ToyConfig:
    """The descriptor's settings: from the environment the test gives the worker."""
    return ToyConfig(
        system=os.environ["CELERY_TOY_SYSTEM"],
        db_url=os.environ["CELERY_TOY_DB_URL"],
        dir=Path(os.environ["CELERY_TOY_DIR"]),
        tick_seconds=float(os.environ.get("CELERY_TOY_TICK_SECONDS", TICK_EVERY.total_seconds())),
    )


def log_line(directory: Path, line: str) -> None:
    """Append one line to runs.log: what ran, in which process."""
    with (directory / "runs.log").open("a") as file:
        file.write(line + "\n")


def read_log(directory: Path) -> list[str]:
    path = directory / "runs.log"
    return path.read_text().splitlines() if path.exists() else []


def build_registry(directory: Path, tick_every: timedelta) -> TaskRegistry:
    registry = TaskRegistry()

    @registry.task("toy.add")
    def add(ctx: TaskContext, *, a: int, b: int) -> dict[str, Any]:
        log_line(directory, f"add {ctx.job_id} attempt={ctx.attempt}")
        return {"sum": a + b}

    @registry.task("toy.count")
    def count(ctx: TaskContext, *, n: int) -> int:
        for i in range(1, n + 1):
            ctx.progress(i, n)
        log_line(directory, f"count {ctx.job_id}")
        return n

    @registry.task("toy.fail")
    def fail(ctx: TaskContext, *, code: int) -> None:
        log_line(directory, f"fail {ctx.job_id}")
        raise ValueError(f"bad input {code}")

    def block(ctx: TaskContext) -> dict[str, Any]:
        # Waits (bounded) for the test to create `release`; `started-<attempt>` tells it the run is under way.
        (directory / f"started-{ctx.attempt}").write_text(str(os.getpid()))
        deadline = time.monotonic() + 60
        while not (directory / "release").exists():
            if time.monotonic() > deadline:
                raise TimeoutError("never released")
            time.sleep(0.05)
        log_line(directory, f"block {ctx.job_id} attempt={ctx.attempt}")
        return {"attempt": ctx.attempt}

    registry.task("toy.block", timeout=BLOCK_TIMEOUT, max_attempts=3)(block)
    # The same run, registered as not idempotent: a lost run fails the job instead of running again.
    registry.task("toy.block_once", idempotent=False)(block)

    @registry.periodic("toy.tick", every=tick_every, kwargs={"label": "tock"})
    def tick(ctx: TaskContext, *, label: str) -> str:
        log_line(directory, f"tick {ctx.job_id} {label}")
        return label

    @registry.periodic("toy.daily", every=timedelta(days=1))
    def daily(ctx: TaskContext) -> None:
        log_line(directory, f"daily {ctx.job_id}")

    return registry


def jobs(config: ToyConfig) -> JobSetup:
    """The descriptor's background jobs."""

    def write(*, text: str, copies: int = 1) -> None:
        log_line(config.dir, f"fn.write {text * copies} pid={os.getpid()}")

    return JobSetup(
        system=config.system,
        database=Database(config.db_url),
        queue=JobQueue(Job),
        lease_model=Lease,
        registry=build_registry(config.dir, timedelta(seconds=config.tick_seconds)),
        functions={"toy.write": write},
    )


def _unused(*_args: Any) -> Any:
    raise NotImplementedError("the toy system only runs Celery workers and beat")


# A toy config, not a system's settings: only the Celery commands read it.
SYSTEM = System("toy", 0, settings, _unused, _unused, _unused, "", jobs)  # type: ignore[arg-type]


def main(argv: list[str]) -> None:
    """`opsuite` with the toy registered as system CELERY_TOY_SYSTEM."""
    from opsuite import systems
    from opsuite.cli import app

    systems.SYSTEMS[os.environ["CELERY_TOY_SYSTEM"]] = MODULE
    app(argv, prog_name="opsuite")


if __name__ == "__main__":
    main(sys.argv[1:])
