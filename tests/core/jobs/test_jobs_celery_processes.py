"""Celery processes coming and going: a worker killed mid-job, and beat driving the registry's schedule."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from tests.conftest import REDIS_ENV, service_url
from tests.core.jobs import celery_toy
from tests.core.jobs.celery_harness import Toy, wait_for
from tests.core.jobs.celery_toy import Job

from opsuite.core.clock import utcnow
from opsuite.core.db import Database
from opsuite.core.jobs import CeleryRunner, JobQueue, JobState, make_celery, task_name

pytestmark = pytest.mark.redis


@pytest.fixture
def toy(database_url: str, tmp_path) -> Iterator[Toy]:
    toy = Toy(db_url=database_url, directory=tmp_path, redis_url=service_url(REDIS_ENV))
    try:
        yield toy
    finally:
        toy.stop_all()
        toy.forget_broker_keys()


def _runner(toy: Toy) -> CeleryRunner:
    runner = CeleryRunner(
        make_celery(toy.system, toy.redis_url, lambda: celery_toy.jobs(toy.config)), JobQueue(Job)
    )
    runner.start()
    return runner


def _job(database: Database, job_id: str) -> Job:
    with database.session(write=False) as session:
        return session.get(Job, job_id)


def test_a_job_whose_worker_is_killed_stays_started_until_maintenance_runs_it_again(toy, database) -> None:
    # Redis hands an unacknowledged message to another worker 1 s after delivery (300 s by default).
    toy.extra_env["OPSUITE_CELERY_VISIBILITY_TIMEOUT"] = "1"
    first = toy.worker(log_name="worker-1.log")
    runner = _runner(toy)
    with database.session() as session:
        job_id = runner.queue.enqueue(session, "toy.block").id
    wait_for(lambda: (toy.directory / "started-1").exists(), "the first run to start")

    first.kill()  # kill -9 the worker's process group while the task runs
    time.sleep(1.2)  # past the visibility timeout
    second = toy.worker(log_name="worker-2.log")

    # The new worker gets the message back from Redis, but the row says STARTED: run_job refuses it.
    wait_for(lambda: f"job {job_id} not run" in second.text(), "the redelivered message to be refused")
    lost = _job(database, job_id)
    assert (lost.state, lost.attempts, lost.result) == (JobState.STARTED, 1, None)
    assert not (toy.directory / "started-2").exists()

    # Beat's maintenance entry, run on the worker once the run is older than the task's 2 s timeout.
    (toy.directory / "release").touch()
    wait_for(lambda: utcnow() > lost.started_at + celery_toy.BLOCK_TIMEOUT, "the timeout to pass")
    runner.app.send_task(task_name(toy.system, "maintain"))

    def finished() -> Job | None:
        job = _job(database, job_id)
        return job if job.state is JobState.SUCCESS else None

    job = wait_for(finished, "the second attempt to finish")
    assert (job.state, job.attempts, job.result, job.error) == (JobState.SUCCESS, 2, {"attempt": 2}, None)
    assert celery_toy.read_log(toy.directory) == [f"block {job_id} attempt=2"]
    assert f"job {job_id} (toy.block) attempt 1 still unfinished 0:00:02 after it started: run again" in (
        second.text()
    )


def test_beat_fires_the_registry_schedule_on_the_workers(toy, database) -> None:
    toy.extra_env.update(CELERY_TOY_TICK_SECONDS="1", OPSUITE_CELERY_MAINTENANCE_EVERY="1")
    toy.worker()
    beat = toy.beat()

    def ticks() -> list[Job]:
        with database.session(write=False) as session:
            rows = session.scalars(
                select(Job)
                .where(Job.name == "toy.tick", Job.state == JobState.SUCCESS)
                .order_by(Job.created_at)
            )
            return list(rows)

    done = wait_for(lambda: (rows := ticks()) and len(rows) >= 3 and rows, "three ticks from beat")
    beat.stop()

    assert {(job.args["label"], job.result) for job in done} == {("tock", "tock")}
    gaps = [later.created_at - earlier.created_at for earlier, later in itertools.pairwise(done)]
    assert min(gaps) >= timedelta(seconds=0.5)  # the database lease: never two ticks within half an interval
    assert "Scheduler: Sending due task periodic:toy.tick" in beat.text()
    assert "Scheduler: Sending due task jobs:maintenance" in beat.text()
    assert list((toy.directory / "var").glob(f"celerybeat-{toy.system}*")) != []
    with database.session(write=False) as session:
        assert session.scalars(select(Job).where(Job.name == "toy.daily")).all() == []
