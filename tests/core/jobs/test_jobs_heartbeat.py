"""Heartbeats: a silent run is taken for lost after `lost_after`, a non-idempotent one is failed for good,
`on_lost` tidies up, and a checkpoint commits with the work it records or not at all."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import update
from tests.core.jobs.recording import RecordingRunner

from opsuite.core.jobs import (
    WORKER_LOST,
    JobQueue,
    JobRevoked,
    JobSettings,
    JobState,
    PeriodicScheduler,
    Reaped,
    TaskRegistry,
    reap_lost,
    run_job,
)

LOST_AFTER = timedelta(seconds=30)


def _registry(tidied: list[tuple[str, dict]]) -> TaskRegistry:
    registry = TaskRegistry()
    registry.task("copy", on_lost=lambda job_id, args: tidied.append((job_id, args)))(lambda ctx, *, n: n)
    registry.task("load", idempotent=False, on_lost=lambda job_id, args: tidied.append((job_id, args)))(
        lambda ctx, *, n: n
    )
    return registry


def _running(database, job_model, clock, name: str) -> str:
    """A job claimed at `clock.now()` whose last heartbeat is `clock.now()`, then left by its process."""
    with database.session() as session:
        job_id = JobQueue(job_model).enqueue_args(session, name, {"n": 7}, now=clock.now()).id
    with database.session() as session:
        session.execute(
            update(job_model)
            .where(job_model.id == job_id)
            .values(state=JobState.PROGRESS, started_at=clock.now(), heartbeat_at=clock.now(), attempts=1)
        )
    return job_id


def _state(database, job_model, job_id):
    with database.session(write=False) as session:
        job = session.get(job_model, job_id)
        return job.state, job.attempts, job.error, job.heartbeat_at


def test_a_silent_idempotent_run_is_retried_and_a_silent_non_idempotent_one_fails_as_worker_lost(
    database, job_model, clock
) -> None:
    tidied: list[tuple[str, dict]] = []
    registry = _registry(tidied)
    runner = RecordingRunner()
    copy = _running(database, job_model, clock, "copy")
    load = _running(database, job_model, clock, "load")
    beat = clock.now()

    clock.advance(LOST_AFTER - timedelta(microseconds=1))
    early = reap_lost(database, job_model, registry, now=clock.now(), runner=runner, lost_after=LOST_AFTER)
    now = clock.advance(timedelta(microseconds=1))
    due = reap_lost(database, job_model, registry, now=now, runner=runner, lost_after=LOST_AFTER)
    later = reap_lost(
        database, job_model, registry, now=now + timedelta(hours=2), runner=runner, lost_after=LOST_AFTER
    )

    # Both tasks keep their default one-hour timeout: only the silence, 30 s long, gives them away.
    assert early == Reaped()
    assert due == Reaped(retried=[copy], failed=[load])
    assert later == Reaped()
    assert runner.submitted == [copy]
    assert _state(database, job_model, copy) == (JobState.PENDING, 1, None, None)
    assert _state(database, job_model, load) == (JobState.FAILURE, 1, WORKER_LOST, beat)
    assert tidied == [(copy, {"n": 7}), (load, {"n": 7})]


def test_a_beating_run_is_not_lost(database, job_model, clock) -> None:
    registry = _registry([])
    job_id = _running(database, job_model, clock, "load")
    clock.advance(timedelta(seconds=25))
    with database.session() as session:
        session.execute(update(job_model).where(job_model.id == job_id).values(heartbeat_at=clock.now()))
    now = clock.advance(timedelta(seconds=25))

    assert reap_lost(database, job_model, registry, now=now, lost_after=LOST_AFTER) == Reaped()
    assert _state(database, job_model, job_id)[0] is JobState.PROGRESS


def test_the_running_job_beats_on_its_own(database, job_model, clock) -> None:
    registry = TaskRegistry()
    seen = []

    @registry.task("wait")
    def wait(ctx):
        claimed = _state(database, job_model, ctx.job_id)[3]
        moved = clock.advance(timedelta(minutes=5))
        deadline = time.monotonic() + 30
        while _state(database, job_model, ctx.job_id)[3] != moved:
            assert time.monotonic() < deadline, "no heartbeat within 30 s"
            time.sleep(0.02)
        seen.append((claimed, moved))
        return "done"

    with database.session() as session:
        job_id = JobQueue(job_model).enqueue_args(session, "wait", {}, now=clock.now()).id
    start = clock.now()

    state = run_job(
        database, job_model, registry, job_id, clock=clock, heartbeat_every=timedelta(seconds=0.05)
    )

    assert state is JobState.SUCCESS
    assert seen == [(start, start + timedelta(minutes=5))]


def test_the_scheduler_takes_lost_after_from_its_settings(database, job_model, lease_model, clock) -> None:
    registry = _registry([])
    job_id = _running(database, job_model, clock, "load")
    scheduler = PeriodicScheduler(
        database,
        JobQueue(job_model),
        lease_model,
        registry,
        clock=clock,
        settings=JobSettings(lost_after_seconds=10),
    )
    clock.advance(timedelta(seconds=10))

    assert scheduler.maintain(timedelta(seconds=20)) is True
    assert _state(database, job_model, job_id)[0:3] == (JobState.FAILURE, 1, WORKER_LOST)


def test_a_checkpoint_commits_with_the_work_and_a_fenced_run_rolls_both_back(
    database, job_model, clock
) -> None:
    registry = TaskRegistry()
    notes: list[object] = []

    @registry.task("resumable")
    def resumable(ctx):
        notes.append(ctx.checkpoint)
        with ctx.database.session() as session:
            ctx.save_checkpoint(session, {"line": 10})
        # Maintenance elsewhere takes this run for lost; its next checkpoint must not land.
        with database.session() as session:
            session.execute(update(job_model).where(job_model.id == ctx.job_id).values(attempts=5))
        with pytest.raises(JobRevoked), ctx.database.session() as session:
            ctx.save_checkpoint(session, {"line": 20})
        with database.session() as session:
            session.execute(update(job_model).where(job_model.id == ctx.job_id).values(attempts=ctx.attempt))
        return "ok"

    with database.session() as session:
        job_id = JobQueue(job_model).enqueue_args(session, "resumable", {}, now=clock.now()).id
    assert run_job(database, job_model, registry, job_id, clock=clock) is JobState.SUCCESS
    with database.session() as session:
        session.execute(update(job_model).where(job_model.id == job_id).values(state=JobState.PENDING))
    assert run_job(database, job_model, registry, job_id, clock=clock) is JobState.SUCCESS

    assert notes == [None, {"line": 10}]


def test_a_heartbeat_thread_stops_with_its_run(database, job_model, clock) -> None:
    registry = TaskRegistry()
    registry.task("quick")(lambda ctx: 1)
    with database.session() as session:
        job_id = JobQueue(job_model).enqueue_args(session, "quick", {}, now=clock.now()).id
    before = {thread.name for thread in threading.enumerate()}

    run_job(database, job_model, registry, job_id, clock=clock, heartbeat_every=timedelta(seconds=0.05))

    assert {thread.name for thread in threading.enumerate()} - before == set()
