"""Maintenance reaps runs whose process died: the job runs again, or fails as "worker lost"."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from tests.core.jobs.recording import RecordingRunner

from opsuite.core.jobs import (
    DEFAULT_TIMEOUT,
    WORKER_LOST,
    JobQueue,
    JobState,
    PeriodicScheduler,
    Reaped,
    TaskRegistry,
    maintain,
    reap_lost,
    run_job,
)

TIMEOUT = timedelta(minutes=2)


def _registry(results=None):
    registry = TaskRegistry()
    registry.task("push", timeout=TIMEOUT, max_attempts=2)(lambda ctx, *, n: {"n": n, "attempt": ctx.attempt})
    return registry


def _lost_job(database, job_model, clock, name="push", *, attempts=1, state=JobState.STARTED):
    """A job whose run claimed it at `clock.now()` and then vanished with its process."""
    with database.session() as session:
        job_id = JobQueue(job_model).enqueue_args(session, name, {"n": 7}, now=clock.now()).id
    with database.session() as session:
        session.execute(
            update(job_model)
            .where(job_model.id == job_id)
            .values(
                state=state, started_at=clock.now(), attempts=attempts, progress_current=3, progress_total=9
            )
        )
    return job_id


def _row(database, job_model, job_id):
    with database.session(write=False) as session:
        job = session.get(job_model, job_id)
        return (
            job.state,
            job.attempts,
            job.started_at,
            job.progress_current,
            job.progress_total,
            job.error,
            job.finished_at,
            job.expires_at,
        )


def test_a_run_older_than_its_timeout_goes_back_to_pending_and_is_resubmitted(
    database, job_model, clock
) -> None:
    registry = _registry()
    runner = RecordingRunner()
    job_id = _lost_job(database, job_model, clock, state=JobState.PROGRESS)
    started = clock.now()

    clock.advance(TIMEOUT - timedelta(microseconds=1))
    early = reap_lost(database, job_model, registry, now=clock.now(), runner=runner)
    early_row = _row(database, job_model, job_id)
    clock.advance(timedelta(microseconds=1))
    due = reap_lost(database, job_model, registry, now=clock.now(), runner=runner)

    assert early == Reaped(retried=[], failed=[])
    assert early_row == (JobState.PROGRESS, 1, started, 3, 9, None, None, None)
    assert due == Reaped(retried=[job_id], failed=[])
    assert runner.submitted == [job_id]
    assert _row(database, job_model, job_id) == (JobState.PENDING, 1, None, 0, None, None, None, None)
    assert run_job(database, job_model, registry, job_id, clock=clock) is JobState.SUCCESS
    with database.session(write=False) as session:
        job = session.get(job_model, job_id)
        assert (job.state, job.attempts, job.result) == (JobState.SUCCESS, 2, {"n": 7, "attempt": 2})


def test_the_last_attempt_lost_fails_the_job_as_worker_lost(database, job_model, clock) -> None:
    registry = _registry()
    runner = RecordingRunner()
    job_id = _lost_job(database, job_model, clock, attempts=2)
    now = clock.advance(TIMEOUT)

    assert reap_lost(database, job_model, registry, now=now, runner=runner) == Reaped(
        retried=[], failed=[job_id]
    )

    assert runner.submitted == []
    assert _row(database, job_model, job_id) == (
        JobState.FAILURE,
        2,
        now - TIMEOUT,
        3,
        9,
        WORKER_LOST,
        now,
        now + timedelta(hours=24),
    )


def test_a_task_unknown_to_the_registry_gets_the_default_timeout(database, job_model, clock) -> None:
    runner = RecordingRunner()
    job_id = _lost_job(database, job_model, clock, name="gone.task")

    clock.advance(DEFAULT_TIMEOUT - timedelta(seconds=1))
    early = reap_lost(database, job_model, TaskRegistry(), now=clock.now(), runner=runner)
    clock.advance(timedelta(seconds=1))
    due = reap_lost(database, job_model, TaskRegistry(), now=clock.now(), runner=runner)

    assert (early, due) == (Reaped(), Reaped(retried=[job_id]))


def test_a_run_taken_for_lost_cannot_overwrite_the_next_attempt(database, job_model, clock) -> None:
    registry = TaskRegistry()
    outcomes = []

    @registry.task("slow", timeout=TIMEOUT)
    def slow(ctx):
        if ctx.attempt == 1:
            # While attempt 1 is still busy, maintenance elsewhere takes it for lost and attempt 2 runs.
            clock.advance(TIMEOUT)
            assert reap_lost(database, job_model, registry, now=clock.now()) == Reaped(retried=[ctx.job_id])
            outcomes.append(run_job(database, job_model, registry, ctx.job_id, clock=clock))
            ctx.progress(5)  # attempt 1 is fenced off: this raises JobRevoked
        return {"attempt": ctx.attempt}

    with database.session() as session:
        job_id = JobQueue(job_model).enqueue_args(session, "slow", {}, now=clock.now()).id

    first = run_job(database, job_model, registry, job_id, clock=clock)

    assert (first, outcomes) == (None, [JobState.SUCCESS])
    with database.session(write=False) as session:
        job = session.get(job_model, job_id)
        assert (job.state, job.attempts, job.result, job.progress_current) == (
            JobState.SUCCESS,
            2,
            {"attempt": 2},
            0,
        )


def test_maintenance_purges_resubmits_and_reaps_in_one_pass(database, job_model, clock) -> None:
    registry = _registry()
    runner = RecordingRunner()
    lost = _lost_job(database, job_model, clock)
    with database.session() as session:
        stale = JobQueue(job_model).enqueue_args(session, "push", {"n": 1}, now=clock.now()).id
        expired = JobQueue(job_model).enqueue_args(session, "push", {"n": 2}, now=clock.now())
        expired.state, expired.expires_at = JobState.SUCCESS, clock.now() + timedelta(minutes=1)
        expired_id = expired.id
    now = clock.advance(timedelta(minutes=10))

    report = maintain(
        database, job_model, registry, now=now, stale_after=timedelta(minutes=10), runner=runner
    )

    assert (report.purged, report.resubmitted, report.reaped) == (1, [stale], Reaped(retried=[lost]))
    assert runner.submitted == [stale, lost]
    with database.session(write=False) as session:
        assert session.get(job_model, expired_id) is None


def test_the_in_process_scheduler_reaps_lost_runs(database, job_model, lease_model, clock) -> None:
    registry = _registry()
    job_id = _lost_job(database, job_model, clock, attempts=2)
    scheduler = PeriodicScheduler(
        database, JobQueue(job_model), lease_model, registry, clock=clock, holder="api-1"
    )
    clock.advance(TIMEOUT)

    assert scheduler.maintain(timedelta(minutes=1)) is True

    assert _row(database, job_model, job_id)[0:2] == (JobState.FAILURE, 2)
