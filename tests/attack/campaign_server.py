"""A fresh database and one system served by `opsuite serve` in a subprocess, watched for memory and death."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
START_SECONDS = 90.0
STOP_SECONDS = 20.0


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def fresh_database(system: str, db: str, work: Path, postgres_url: str, keep: bool) -> Iterator[str]:
    """An empty database for `system`: a SQLite file under `work`, or a new PostgreSQL database."""
    if db == "sqlite":
        yield f"sqlite:///{work / f'{system}.sqlite3'}"
        return
    server = make_url(postgres_url)
    name = f"opsuite_campaign_{system}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        if not keep:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def cli(args: list[str], env: dict[str, str], cwd: Path, timeout: float = 300.0) -> str:
    """Run `opsuite ARGS` in a subprocess; its output, or an error naming what failed."""
    done = subprocess.run(
        [sys.executable, "-m", "opsuite.cli", *args],
        env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"opsuite {' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return (done.stdout + done.stderr).strip()


def rss_mb(pid: int) -> float | None:
    """Resident memory of `pid` in MiB, or None once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


@dataclass
class Served:
    """The served process and what the watchdog saw of it."""

    process: subprocess.Popen[bytes]
    base_url: str
    memory_limit_mb: float
    peak_rss_mb: float = 0.0
    killed_for_memory: bool = False
    died_at: float | None = None
    _stop: threading.Event = field(default_factory=threading.Event)

    def watch(self) -> None:
        """Poll memory once a second; kill the server (ours, by pid) past the limit, note when it died."""
        while not self._stop.wait(1.0):
            if self.process.poll() is not None:
                self.died_at = self.died_at or time.time()
                return
            rss = rss_mb(self.process.pid) or 0.0
            self.peak_rss_mb = max(self.peak_rss_mb, rss)
            if rss > self.memory_limit_mb:
                self.killed_for_memory = True
                self.died_at = time.time()
                self.process.kill()
                return

    def report(self) -> dict[str, object]:
        """The watchdog's findings, for the JSON."""
        code = self.process.poll()
        return {
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            "memory_limit_mb": self.memory_limit_mb,
            "killed_for_memory": self.killed_for_memory,
            "died_during_run": self.died_at is not None,
            "exit_code_during_run": code if self.died_at is not None else None,
        }


def _wait_ready(served: Served, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            raise RuntimeError(f"server exited with {served.process.returncode}: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{served.base_url}/health", timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"server not ready after {START_SECONDS} s: {log.read_text()[-2000:]}")


@contextmanager
def serve(
    system: str, env: dict[str, str], work: Path, memory_limit_mb: float, nice: int
) -> Iterator[Served]:
    """`opsuite serve SYSTEM` on a free loopback port until the block ends; stopped by its pid."""
    port = free_port()
    log = work / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "opsuite.cli", "serve", system, "--port", str(port)],
            env=env, cwd=work, stdout=out, stderr=subprocess.STDOUT,
            preexec_fn=(lambda: os.nice(nice)) if nice else None,
        )  # fmt: skip
    served = Served(process, f"http://127.0.0.1:{port}", memory_limit_mb)
    watcher = threading.Thread(target=served.watch, daemon=True)
    try:
        _wait_ready(served, log)
        watcher.start()
        yield served
    finally:
        if process.poll() is not None and served.died_at is None:  # died between two watchdog polls
            served.died_at = time.time()
        served._stop.set()
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(STOP_SECONDS)
