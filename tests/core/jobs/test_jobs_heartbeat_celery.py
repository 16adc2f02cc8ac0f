"""A Celery worker killed with SIGKILL mid-job: its heartbeat stops, and maintenance on another worker fails
the non-idempotent job as "worker lost" after `OPSUITE_JOBS_LOST_AFTER_SECONDS`, without a second run."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from tests.conftest import REDIS_ENV, service_url
from tests.core.jobs import celery_toy
from tests.core.jobs.celery_harness import Toy, wait_for
from tests.core.jobs.celery_toy import Job

from opsuite.core.db import Database
from opsuite.core.jobs import (
    WORKER_LOST,
    CeleryRunner,
    JobQueue,
    JobState,
    make_celery,
    task_name,
)

pytestmark = pytest.mark.redis


@pytest.fixture
def toy(database_url: str, tmp_path) -> Iterator[Toy]:
    toy = Toy(db_url=database_url, directory=tmp_path, redis_url=service_url(REDIS_ENV))
    toy.extra_env.update(
        OPSUITE_CELERY_VISIBILITY_TIMEOUT="1",
        OPSUITE_JOBS_HEARTBEAT_SECONDS="0.2",
        OPSUITE_JOBS_LOST_AFTER_SECONDS="2",
    )
    try:
        yield toy
    finally:
        toy.stop_all()
        toy.forget_broker_keys()


def _job(database: Database, job_id: str) -> Job:
    with database.session(write=False) as session:
        return session.get(Job, job_id)


def test_a_killed_workers_non_idempotent_job_fails_as_worker_lost(toy: Toy, database: Database) -> None:
    first = toy.worker(log_name="worker-1.log")
    runner = CeleryRunner(
        make_celery(toy.system, toy.redis_url, lambda: celery_toy.jobs(toy.config)), JobQueue(Job)
    )
    runner.start()
    with database.session() as session:
        job_id = runner.queue.enqueue(session, "toy.block_once").id
    wait_for(lambda: (toy.directory / "started-1").exists(), "the run to start")
    started = _job(database, job_id).started_at
    # The worker beats while the task blocks.
    wait_for(lambda: _job(database, job_id).heartbeat_at > started, "a heartbeat")

    first.kill()
    last_beat = _job(database, job_id).heartbeat_at
    second = toy.worker(log_name="worker-2.log")
    (toy.directory / "release").touch()
    time.sleep(2.5)  # past OPSUITE_JOBS_LOST_AFTER_SECONDS since the last beat
    runner.app.send_task(task_name(toy.system, "maintain"))

    job = wait_for(
        lambda: (job := _job(database, job_id)).state is JobState.FAILURE and job,
        "maintenance to fail the job",
    )
    assert (job.state, job.attempts, job.error, job.heartbeat_at) == (
        JobState.FAILURE,
        1,
        WORKER_LOST,
        last_beat,
    )
    assert f"job {job_id} (toy.block_once) attempt 1 silent since" in second.text()
    time.sleep(1.0)  # a redelivered message, had it run, would have started a second attempt by now
    assert not (toy.directory / "started-2").exists()
    assert celery_toy.read_log(toy.directory) == []
