"""Starting and stopping real Celery worker and beat subprocesses of the toy system, with bounded waits."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import redis
from tests.core.jobs import celery_toy

ROOT = Path(__file__).resolve().parents[3]
T = TypeVar("T")


def wait_for(probe: Callable[[], T], what: str, timeout: float = 30.0) -> T:
    """Poll `probe` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


@dataclass
class Proc:
    popen: subprocess.Popen[bytes]
    log: Path

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole process group (a prefork worker has children)."""
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, sig)
        self.popen.wait(timeout=15)

    def stop(self) -> None:
        if self.popen.poll() is not None:
            return
        os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()


@dataclass
class Toy:
    """One toy system: a unique name (its Celery queue), its database, directory and broker."""

    db_url: str
    directory: Path
    redis_url: str
    system: str = field(default_factory=lambda: f"toy{uuid.uuid4().hex[:10]}")
    extra_env: dict[str, str] = field(default_factory=dict)
    procs: list[Proc] = field(default_factory=list)

    @property
    def config(self) -> celery_toy.ToyConfig:
        return celery_toy.ToyConfig(system=self.system, db_url=self.db_url, dir=self.directory)

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            CELERY_TOY_SYSTEM=self.system,
            CELERY_TOY_DB_URL=self.db_url,
            CELERY_TOY_DIR=str(self.directory),
            OPSUITE_REDIS_URL=self.redis_url,
            OPSUITE_VAR_DIR=str(self.directory / "var"),
            OPSUITE_LOG_FORMAT="text",
            PYTHONPATH=os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        )
        env.update(self.extra_env)
        return env

    def spawn(self, *args: str, log_name: str) -> Proc:
        log = self.directory / log_name
        with log.open("ab") as out:
            popen = subprocess.Popen(
                [sys.executable, "-m", celery_toy.MODULE, *args],
                cwd=ROOT,
                env=self.env(),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        proc = Proc(popen, log)
        self.procs.append(proc)
        return proc

    def worker(self, *, concurrency: int = 2, log_name: str = "worker.log") -> Proc:
        """Start `opsuite worker <toy>` and wait until it consumes."""
        proc = self.spawn(
            "worker", self.system, "--concurrency", str(concurrency), "--pool", "threads", log_name=log_name
        )
        start = proc.log.stat().st_size if proc.log.exists() else 0

        def ready() -> bool:
            if proc.popen.poll() is not None:
                raise AssertionError(f"worker exited with {proc.popen.returncode}:\n{proc.text()}")
            return " ready." in proc.text()[start:]

        wait_for(ready, "the worker to be ready")
        return proc

    def beat(self, *, log_name: str = "beat.log") -> Proc:
        return self.spawn("beat", self.system, log_name=log_name)

    def stop_all(self) -> None:
        for proc in self.procs:
            proc.stop()
        self.procs.clear()

    def queue_length(self) -> int:
        client = redis.Redis.from_url(self.redis_url)
        try:
            return int(client.llen(self.system))
        finally:
            client.close()

    def forget_broker_keys(self) -> None:
        client: Any = redis.Redis.from_url(self.redis_url)
        try:
            keys = list(client.scan_iter(match=f"*{self.system}*"))
            if keys:
                client.delete(*keys)
        finally:
            client.close()
