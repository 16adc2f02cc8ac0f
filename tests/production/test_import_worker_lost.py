"""kill -9 mid-import: the rows that landed are exactly the checkpoint's, the job fails as "worker lost"
within the heartbeat limit and is never rerun on its own; a deliberate rerun resumes after the checkpoint.
A lost export's temporary file is removed."""

from __future__ import annotations

import csv
import io
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any, TypeVar

import httpx
import pytest
from sqlalchemy import select, update

from opsuite.core.db import Database
from opsuite.core.jobs import JobState
from opsuite.production.batches.models import Batch
from opsuite.production.exports import service as exports_service
from opsuite.production.exports.service import COLUMNS
from opsuite.production.files import service as files_service
from opsuite.production.jobs.models import Job
from opsuite.production.jobs.service import WORKER_LOST_MESSAGE
from opsuite.production.settings import ProductionSettings
from tests.clock import FakeClock
from tests.production.helpers import Api

T = TypeVar("T")
ROWS = 3000
HEADER = list(COLUMNS[:11])  # the export's columns, in order, up to `work_center_name`


def _wait(probe: Callable[[], T], what: str, timeout: float = 120.0) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


def _csv(count: int) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for number in range(1, count + 1):
        writer.writerow(
            [number, "2025-03-01", "Молоко", "EKN-1", "1", "Бригада", "Розлив", "2025-03-01T08:00:00Z",
             "2025-03-01T20:00:00Z", "WC-1", "Цех 1"]
        )  # fmt: skip
    return buffer.getvalue().encode("utf-8-sig")


@pytest.fixture
def served(database_url: str, settings: ProductionSettings) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`opsuite serve production` in its own process group on the test's database, beating every 0.2 s."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {key: value for key, value in os.environ.items() if not key.startswith("OPSUITE_")}
    env.update(
        OPSUITE_PRODUCTION_DATABASE_URL=database_url,
        OPSUITE_VAR_DIR=str(settings.core.var_dir),
        OPSUITE_PRODUCTION_SCHEDULER_ENABLED="false",
        OPSUITE_JOBS_HEARTBEAT_SECONDS="0.2",
        OPSUITE_LOG_LEVEL="WARNING",
    )
    log = settings.core.var_dir / "serve.log"
    with log.open("wb") as out:
        popen = subprocess.Popen(
            [sys.executable, "-c", "import sys; from opsuite.cli import app; app(sys.argv[1:])",
             "serve", "production", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        assert popen.poll() is None, log.read_text(errors="replace")
        try:
            return httpx.get(f"{base}/api/healthcheck/service", timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    try:
        _wait(up, "serve to answer", timeout=60)
        yield base, popen
    finally:
        if popen.poll() is None:
            os.killpg(popen.pid, signal.SIGKILL)
        popen.wait(timeout=15)


def _job(database: Database, job_id: str) -> Job:
    with database.session(write=False) as session:
        job = session.get(Job, job_id)
        assert job is not None
        session.expunge(job)
        return job


def _numbers(database: Database) -> list[int]:
    with database.session(write=False) as session:
        return sorted(session.scalars(select(Batch.batch_number)))


def test_a_serve_process_killed_mid_import_leaves_a_checkpoint_and_a_failed_job(
    served: tuple[str, subprocess.Popen[bytes]], api: Api, app: Any, clock: FakeClock, database: Database
) -> None:
    base, popen = served
    accepted = httpx.post(
        f"{base}/api/batches/import", files={"file": ("big.csv", _csv(ROWS))}, timeout=60
    ).json()
    job_id = accepted["task_id"]

    _wait(lambda: _job(database, job_id).checkpoint, "the first chunk to land")
    os.killpg(popen.pid, signal.SIGKILL)
    popen.wait(timeout=15)

    # What landed is exactly what the checkpoint says: lines 2..line, one batch each, nothing after.
    dead = _job(database, job_id)
    checkpoint = dead.checkpoint
    assert (dead.state, dead.attempts) == (JobState.PROGRESS, 1)
    assert 2 <= checkpoint["line"] < ROWS + 1, "the import finished before the kill"
    landed = checkpoint["line"] - 1
    assert checkpoint == {
        "line": landed + 1,
        "total": landed,
        "created": landed,
        "updated": 0,
        "failed": 0,
        "errors": [],
    }
    assert _numbers(database) == list(range(1, landed + 1))
    assert api.call("GET", f"/api/background_tasks/{job_id}", 200)["status"] == "PROGRESS"

    # Maintenance 10 s after the last beat sees a live job; 30 s after it (20 s later), a lost one.
    clock.set(dead.heartbeat_at + timedelta(seconds=10))
    assert app.state.scheduler.maintain(timedelta(seconds=20)) is True
    assert _job(database, job_id).state is JobState.PROGRESS
    clock.set(dead.heartbeat_at + timedelta(seconds=30))
    assert app.state.scheduler.maintain(timedelta(seconds=20)) is True

    assert api.call("GET", f"/api/background_tasks/{job_id}", 200) == {
        "task_id": job_id,
        "status": "FAILURE",
        "result": {"error": WORKER_LOST_MESSAGE},
    }
    # Never rerun on its own, not even after the task's one-hour timeout.
    clock.set(dead.heartbeat_at + timedelta(hours=2))
    assert app.state.scheduler.maintain(timedelta(seconds=20)) is True
    lost = _job(database, job_id)
    assert (lost.state, lost.attempts, lost.error) == (JobState.FAILURE, 1, "worker lost")
    assert _numbers(database) == list(range(1, landed + 1))

    # A deliberate rerun (an operator's) resumes after the checkpoint: every row exactly once.
    with database.session() as session:
        session.execute(update(Job).where(Job.id == job_id).values(state=JobState.PENDING))
    app.state.runner.submit(job_id)
    api.wait_jobs(timeout=120)

    done = api.call("GET", f"/api/background_tasks/{job_id}", 200)
    assert done["status"] == "SUCCESS"
    assert done["result"] == {
        "success": True,
        "total": ROWS,
        "created": ROWS,
        "updated": 0,
        "failed": 0,
        "errors": [],
    }
    assert _numbers(database) == list(range(1, ROWS + 1))


def test_a_lost_export_run_loses_its_temporary_file_and_runs_again(
    api: Api, app: Any, clock: FakeClock, database: Database, settings: ProductionSettings
) -> None:
    api.batch(batch_number=7)
    store = files_service.file_store(settings)
    with database.session() as session:
        job_id = app.state.runtime.jobs.enqueue_args(
            session, exports_service.EXPORT, {"format": "csv", "filters": {}}
        ).id
        session.flush()
        session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(state=JobState.PROGRESS, started_at=clock.now(), heartbeat_at=clock.now(), attempts=1)
        )
    # What the dead run was writing, and a temporary file of another export still running.
    dead = store.writer(exports_service.file_id_of(job_id), "csv")
    dead.file.write(b"batch_number\n")
    dead.file.flush()
    other = store.writer(exports_service.file_id_of("ab" * 16), "csv")
    other.file.write(b"x")
    other.file.flush()

    clock.advance(seconds=30)
    assert app.state.scheduler.maintain(timedelta(seconds=20)) is True
    api.wait_jobs()

    assert (dead.path.exists(), other.path.exists()) == (False, True)
    done = api.call("GET", f"/api/background_tasks/{job_id}", 200)
    file_id = str(exports_service.file_id_of(job_id))
    assert done == {
        "task_id": job_id,
        "status": "SUCCESS",
        "result": {
            "file_id": file_id,
            "download_url": f"/api/reports/{file_id}",
            "format": "csv",
            "total": 1,
        },
    }
    assert _job(database, job_id).attempts == 2
