"""The Celery engine against a real Redis and a real `opsuite worker` subprocess (the toy system)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest
from sqlalchemy import delete, select
from tests.conftest import POSTGRES_ENV, REDIS_ENV, service_url
from tests.core.jobs import celery_toy
from tests.core.jobs.celery_harness import Toy, wait_for
from tests.core.jobs.celery_toy import Job, Lease

from opsuite.core.db import Database
from opsuite.core.jobs import (
    CeleryRunner,
    JobQueue,
    JobState,
    make_celery,
    task_name,
)

pytestmark = pytest.mark.redis

FINAL = (JobState.SUCCESS, JobState.FAILURE, JobState.REVOKED)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def toy(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Toy]:
    """A toy system with one worker for the module: its own queue, database and directory."""
    redis_url = service_url(REDIS_ENV)
    directory = tmp_path_factory.mktemp("celery-toy")
    if request.param == "sqlite":
        db_url = f"sqlite:///{directory / 'toy.sqlite3'}"
    else:
        service_url(POSTGRES_ENV)
        db_url = request.getfixturevalue("postgres_module_url")
    database = Database(db_url)
    celery_toy.ToyBase.metadata.create_all(database.engine)
    database.dispose()
    toy = Toy(db_url=db_url, directory=directory, redis_url=redis_url)
    try:
        toy.worker()
        yield toy
    finally:
        toy.stop_all()
        toy.forget_broker_keys()


class SpyRunner(CeleryRunner):
    """A CeleryRunner that also records what it sent."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sent: list[str] = []

    def submit(self, job_id: str) -> None:
        self.sent.append(job_id)
        super().submit(job_id)


@pytest.fixture
def database(toy: Toy) -> Iterator[Database]:
    database = Database(toy.db_url)
    with database.session() as session:
        session.execute(delete(Job))
        session.execute(delete(Lease))
    for path in toy.directory.glob("runs.log"):
        path.unlink()
    yield database
    database.dispose()


@pytest.fixture
def runner(toy: Toy, database: Database) -> Iterator[SpyRunner]:
    """The API side: a runner bound to the toy's Job model, sending to the toy's queue."""
    app = make_celery(toy.system, toy.redis_url, lambda: celery_toy.jobs(toy.config))
    runner = SpyRunner(app, JobQueue(Job))
    runner.start()
    yield runner
    runner.shutdown()


def _wait_final(database: Database, job_id: str) -> Job:
    def final() -> Job | None:
        with database.session(write=False) as session:
            job = session.get(Job, job_id)
            return job if job is not None and job.state in FINAL else None

    return wait_for(final, f"job {job_id} to finish")


def _log_lines(toy: Toy, pattern: str) -> list[str]:
    return [line for line in toy.procs[0].text().splitlines() if re.search(pattern, line)]


def test_a_committed_job_runs_on_the_worker_to_success_with_its_result(toy, database, runner) -> None:
    with database.session() as session:
        job_id = runner.queue.enqueue(session, "toy.add", a=2, b=3).id
        assert runner.sent == []  # nothing leaves before the commit

    job = _wait_final(database, job_id)

    assert runner.sent == [job_id]
    assert (job.state, job.result, job.error, job.attempts, job.args) == (
        JobState.SUCCESS,
        {"sum": 5},
        None,
        1,
        {"a": 2, "b": 3},
    )
    assert job.created_at <= job.started_at <= job.finished_at
    assert celery_toy.read_log(toy.directory) == [f"add {job_id} attempt=1"]


def test_progress_is_recorded(toy, database, runner) -> None:
    with database.session() as session:
        job_id = runner.queue.enqueue(session, "toy.count", n=4).id

    job = _wait_final(database, job_id)

    assert (job.state, job.progress_current, job.progress_total, job.result) == (JobState.SUCCESS, 4, 4, 4)


def test_a_failing_task_ends_failure_with_its_error(toy, database, runner) -> None:
    with database.session() as session:
        job_id = runner.queue.enqueue(session, "toy.fail", code=7).id

    job = _wait_final(database, job_id)

    assert (job.state, job.result, job.error, job.attempts) == (
        JobState.FAILURE,
        None,
        "ValueError: bad input 7",
        1,
    )


def test_a_job_whose_transaction_rolled_back_is_never_sent_nor_run(toy, database, runner) -> None:
    rolled_back = []

    def failing_request() -> None:
        with database.session() as session:
            rolled_back.append(runner.queue.enqueue(session, "toy.add", a=1, b=1).id)
            session.flush()
            raise RuntimeError("the request failed after creating the job")

    with pytest.raises(RuntimeError, match="the request failed"):
        failing_request()
    with database.session() as session:
        committed = runner.queue.enqueue(session, "toy.add", a=4, b=5).id

    assert _wait_final(database, committed).result == {"sum": 9}

    assert runner.sent == [committed]
    with database.session(write=False) as session:
        assert session.get(Job, rolled_back[0]) is None
    assert celery_toy.read_log(toy.directory) == [f"add {committed} attempt=1"]
    assert toy.queue_length() == 0


def test_a_redelivered_duplicate_runs_once(toy, database, runner) -> None:
    with database.session() as session:
        job_id = runner.queue.enqueue(session, "toy.add", a=20, b=22).id
    # The broker delivers the same job twice more (redelivery after a lost ack, the sweeper, ...).
    runner.submit(job_id)
    runner.submit(job_id)

    job = _wait_final(database, job_id)
    ignored = wait_for(
        lambda: (lines := _log_lines(toy, f"job {job_id} not run")) and len(lines) == 2 and lines,
        "both duplicates to be refused",
    )

    assert runner.sent == [job_id, job_id, job_id]
    assert (job.state, job.result, job.attempts) == (JobState.SUCCESS, {"sum": 42}, 1)
    assert len(ignored) == 2
    assert celery_toy.read_log(toy.directory) == [f"add {job_id} attempt=1"]


def test_fire_periodic_creates_the_job_with_its_kwargs_and_runs_it_once_per_interval(
    toy, database, runner
) -> None:
    fire = task_name(toy.system, "fire_periodic")
    runner.app.send_task(fire, args=["toy.tick"])

    def tick_jobs() -> list[Job]:
        with database.session(write=False) as session:
            return list(session.scalars(select(Job).where(Job.name == "toy.tick")))

    first = wait_for(lambda: [job for job in tick_jobs() if job.state in FINAL], "the tick job")
    # A second tick within the interval (a restarted or second beat) makes no job.
    runner.app.send_task(fire, args=["toy.tick"])
    wait_for(lambda: _log_lines(toy, "periodic toy.tick not fired"), "the second tick to be refused")

    assert [(job.name, job.args, job.state, job.result) for job in tick_jobs()] == [
        ("toy.tick", {"label": "tock"}, JobState.SUCCESS, "tock")
    ]
    assert celery_toy.read_log(toy.directory) == [f"tick {first[0].id} tock"]
    with database.session(write=False) as session:
        lease = session.get(Lease, "periodic:toy.tick")
        assert lease.expires_at - first[0].created_at == celery_toy.TICK_EVERY / 2


def test_a_function_sent_with_call_runs_on_the_worker_without_a_job_row(toy, database, runner) -> None:
    runner.call("toy.write", {"text": "ab", "copies": 2})

    lines = wait_for(lambda: celery_toy.read_log(toy.directory), "the function to run")

    worker_pid = toy.procs[0].popen.pid
    assert lines == [f"fn.write abab pid={worker_pid}"]
    assert worker_pid != os.getpid()
    with database.session(write=False) as session:
        assert session.scalars(select(Job)).all() == []
