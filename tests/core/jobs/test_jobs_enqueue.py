"""enqueue submits after commit only; runners, purge and the stale-job sweeper."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from opsuite.core.jobs import (
    InlineRunner,
    InProcessRunner,
    JobState,
    TaskRegistry,
    get_job,
    purge_expired,
    resubmit_stale,
)

T0 = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)


class RecordingRunner:
    """A runner that only remembers what it was given."""

    def __init__(self, queue, *, fail=False):
        self.queue = queue
        self.fail = fail
        self.submitted = []

    def start(self):
        self.queue.attach(self)

    def submit(self, job_id):
        if self.fail:
            raise ConnectionError("broker down")
        self.submitted.append(job_id)

    def shutdown(self, wait=True):
        self.queue.detach(self)


def _count(database, job_model):
    with database.session(write=False) as session:
        return session.scalar(select(func.count()).select_from(job_model))


def test_job_is_submitted_only_after_commit(database, job_model, queue) -> None:
    runner = RecordingRunner(queue)
    runner.start()
    with database.session() as session:
        job = queue.enqueue(session, "export", fmt="xlsx", session="kwarg named like a parameter")
        session.flush()
        assert runner.submitted == []
        job_id = job.id
    assert runner.submitted == [job_id]
    with database.session(write=False) as session:
        stored = get_job(session, job_model, job_id)
        assert (stored.name, stored.state, stored.args) == (
            "export",
            JobState.PENDING,
            {"fmt": "xlsx", "session": "kwarg named like a parameter"},
        )
        assert get_job(session, job_model, "0" * 32) is None


def test_nothing_is_submitted_on_rollback(database, job_model, queue) -> None:
    runner = RecordingRunner(queue)
    runner.start()

    def create_then_fail():
        with database.session() as session:
            queue.enqueue(session, "export")
            session.flush()
            raise RuntimeError("validation failed")

    with pytest.raises(RuntimeError, match="validation failed"):
        create_then_fail()
    assert runner.submitted == []
    assert _count(database, job_model) == 0


def test_rolled_back_savepoint_drops_only_its_own_jobs(database, job_model, queue) -> None:
    runner = RecordingRunner(queue)
    runner.start()
    with database.session() as session:
        kept = queue.enqueue(session, "kept").id
        savepoint = session.begin_nested()
        queue.enqueue(session, "dropped")
        savepoint.rollback()
        with session.begin_nested():
            inner = queue.enqueue(session, "inner").id
    assert runner.submitted == [kept, inner]
    assert _count(database, job_model) == 2


def test_one_session_two_transactions(database, job_model, queue) -> None:
    runner = RecordingRunner(queue)
    runner.start()
    with database.write_sessions() as session:
        with session.begin():
            first = queue.enqueue(session, "a").id
        with session.begin():
            queue.enqueue(session, "b")
            session.rollback()
        with session.begin():
            third = queue.enqueue(session, "c").id
    assert runner.submitted == [first, third]


def test_without_a_runner_the_job_stays_pending(database, job_model, queue) -> None:
    assert queue.runner is None
    with database.session() as session:
        job_id = queue.enqueue(session, "export").id
    with database.session(write=False) as session:
        assert get_job(session, job_model, job_id).state is JobState.PENDING


def test_a_failing_submit_does_not_undo_the_commit(database, job_model, caplog, queue) -> None:
    RecordingRunner(queue, fail=True).start()
    with caplog.at_level(logging.ERROR, logger="opsuite.core.jobs"), database.session() as session:
        job_id = queue.enqueue(session, "export").id
    assert _count(database, job_model) == 1
    assert [r.getMessage() for r in caplog.records] == [f"could not submit job {job_id}"]


def test_in_process_runner_runs_jobs_and_survives_errors(database, job_model, queue) -> None:
    registry = TaskRegistry()
    registry.task("double")(lambda ctx, *, x: x * 2)

    @registry.task("crash")
    def crash(ctx):
        raise KeyError("device 9")

    runner = InProcessRunner(database, queue, registry, max_workers=2)
    runner.start()
    try:
        assert queue.runner is runner
        with database.session() as session:
            ids = [queue.enqueue(session, "double", x=x).id for x in range(5)]
            crashed = queue.enqueue(session, "crash").id
        assert runner.join(timeout=30) is True
        with database.session() as session:
            after = queue.enqueue(session, "double", x=100).id
        assert runner.join(timeout=30) is True
    finally:
        runner.shutdown()
    assert queue.runner is None
    with database.session(write=False) as session:
        results = [(get_job(session, job_model, i).state, get_job(session, job_model, i).result) for i in ids]
        assert results == [(JobState.SUCCESS, x * 2) for x in range(5)]
        failed = get_job(session, job_model, crashed)
        assert (failed.state, failed.error) == (JobState.FAILURE, "KeyError: 'device 9'")
        assert get_job(session, job_model, after).result == 200


def test_in_process_runner_refuses_work_when_not_started(database, job_model, queue) -> None:
    runner = InProcessRunner(database, queue, TaskRegistry())
    with pytest.raises(RuntimeError, match="runner is not started"):
        runner.submit("0" * 32)


def test_shutdown_without_wait_leaves_queued_jobs_pending(database, job_model, queue) -> None:
    registry = TaskRegistry()
    running, release = threading.Event(), threading.Event()

    @registry.task("block")
    def block(ctx):
        running.set()
        return release.wait(30)

    runner = InProcessRunner(database, queue, registry, max_workers=1)
    runner.start()
    with database.session() as session:
        first = queue.enqueue(session, "block").id
        queued = queue.enqueue(session, "block").id
    assert running.wait(30) is True
    runner.shutdown(wait=False)
    release.set()
    assert runner.join(timeout=30) is True
    with database.session(write=False) as session:
        assert get_job(session, job_model, first).state is JobState.SUCCESS
        assert get_job(session, job_model, queued).state is JobState.PENDING


def test_inline_runner_runs_at_commit(database, job_model, queue) -> None:
    registry = TaskRegistry()
    registry.task("echo")(lambda ctx, *, value: {"value": value, "job": ctx.job_id})
    InlineRunner(database, queue, registry).start()
    with database.session() as session:
        job_id = queue.enqueue(session, "echo", value="x").id
    with database.session(write=False) as session:
        job = get_job(session, job_model, job_id)
        assert (job.state, job.result) == (JobState.SUCCESS, {"value": "x", "job": job_id})


def test_purge_deletes_only_expired_results(database, job_model, queue) -> None:
    with database.session() as session:
        ids = {}
        for name, expires in [("gone", T0), ("kept", T0 + timedelta(seconds=1)), ("pending", None)]:
            job = queue.enqueue_args(session, name, {}, now=T0)
            job.expires_at = expires
            ids[name] = job.id
    with database.session() as session:
        assert purge_expired(session, job_model, now=T0) == 1
    with database.session(write=False) as session:
        remaining = set(session.scalars(select(job_model.name)))
    assert remaining == {"kept", "pending"}
    with database.session() as session:
        assert purge_expired(session, job_model, now=T0 + timedelta(seconds=1)) == 1
        assert purge_expired(session, job_model, now=T0 + timedelta(days=365)) == 0


def test_resubmit_stale_sends_old_pending_jobs_again(database, job_model, queue) -> None:
    runner = RecordingRunner(queue)
    with database.session() as session:
        old = queue.enqueue_args(session, "old", {}, now=T0).id
        queue.enqueue_args(session, "fresh", {}, now=T0 + timedelta(minutes=6))
        started = queue.enqueue_args(session, "started", {}, now=T0)
        started.state = JobState.STARTED
        older = queue.enqueue_args(session, "older", {}, now=T0 - timedelta(hours=1)).id
    now = T0 + timedelta(minutes=10)

    resubmitted = resubmit_stale(database, job_model, older_than=timedelta(minutes=5), runner=runner, now=now)

    assert resubmitted == [older, old]
    assert runner.submitted == [older, old]
    assert resubmit_stale(database, job_model, older_than=timedelta(minutes=5), now=now) == []
