"""run_job: the state machine of one job, its timestamps, progress, errors and revocation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from opsuite.core.jobs import JobQueue, JobState, TaskRegistry, revoke, run_job

T0 = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)


def _new_job(database, job_model, name, args=None, *, now=T0):
    with database.session() as session:
        return JobQueue(job_model).enqueue_args(session, name, args or {}, now=now).id


def _load(database, job_model, job_id):
    with database.session(write=False) as session:
        return session.get(job_model, job_id)


def test_success_moves_pending_started_success_with_timestamps(database, job_model, clock) -> None:
    registry = TaskRegistry()
    seen = {}

    @registry.task("add")
    def add(ctx, *, a, b):
        row = _load(database, job_model, ctx.job_id)
        seen.update(state=row.state, started_at=row.started_at, attempts=row.attempts, attempt=ctx.attempt)
        clock.advance(timedelta(seconds=7))
        return {"sum": a + b}

    job_id = _new_job(database, job_model, "add", {"a": 2, "b": 3}, now=clock.now())
    clock.advance(timedelta(seconds=1))

    assert run_job(database, job_model, registry, job_id, clock=clock) is JobState.SUCCESS

    assert seen == {
        "state": JobState.STARTED,
        "started_at": T0 + timedelta(seconds=1),
        "attempts": 1,
        "attempt": 1,
    }
    job = _load(database, job_model, job_id)
    assert job.state is JobState.SUCCESS
    assert job.result == {"sum": 5}
    assert job.error is None
    assert job.created_at == T0
    assert job.started_at == T0 + timedelta(seconds=1)
    assert job.finished_at == T0 + timedelta(seconds=8)
    assert job.expires_at == T0 + timedelta(seconds=8) + timedelta(hours=24)
    assert job.attempts == 1


def test_progress_is_written_while_the_task_runs(database, job_model, clock) -> None:
    registry = TaskRegistry()
    snapshots = []

    @registry.task("count")
    def count(ctx, *, n):
        for i in range(1, n + 1):
            ctx.progress(i, n if i == 1 else None)
            row = _load(database, job_model, ctx.job_id)
            snapshots.append((row.state, row.progress_current, row.progress_total))
        return n

    job_id = _new_job(database, job_model, "count", {"n": 3})
    assert run_job(database, job_model, registry, job_id, clock=clock) is JobState.SUCCESS

    assert snapshots == [
        (JobState.PROGRESS, 1, 3),
        (JobState.PROGRESS, 2, 3),
        (JobState.PROGRESS, 3, 3),
    ]
    job = _load(database, job_model, job_id)
    assert (job.state, job.progress_current, job.progress_total, job.result) == (JobState.SUCCESS, 3, 3, 3)


def test_failure_records_the_error_text(database, job_model, clock) -> None:
    registry = TaskRegistry()

    @registry.task("boom")
    def boom(ctx):
        ctx.progress(1, 4)
        raise ValueError("plu 17 has no price")

    job_id = _new_job(database, job_model, "boom", now=clock.now())
    clock.advance(timedelta(minutes=1))
    assert run_job(database, job_model, registry, job_id, clock=clock) is JobState.FAILURE

    job = _load(database, job_model, job_id)
    assert job.state is JobState.FAILURE
    assert job.error == "ValueError: plu 17 has no price"
    assert job.result is None
    assert (job.progress_current, job.progress_total) == (1, 4)
    assert job.finished_at == T0 + timedelta(minutes=1)
    assert job.expires_at == T0 + timedelta(minutes=1, hours=24)


def test_unknown_task_and_unserialisable_result_are_failures(database, job_model, clock) -> None:
    registry = TaskRegistry()
    registry.task("when")(lambda ctx: datetime(2025, 1, 1, tzinfo=UTC))
    unknown = _new_job(database, job_model, "nobody.registered")
    bad_result = _new_job(database, job_model, "when")

    assert run_job(database, job_model, registry, unknown, clock=clock) is JobState.FAILURE
    assert run_job(database, job_model, registry, bad_result, clock=clock) is JobState.FAILURE

    assert _load(database, job_model, unknown).error == "UnknownTaskError: no task named 'nobody.registered'"
    assert _load(database, job_model, bad_result).error == (
        "TypeError: Object of type datetime is not JSON serializable"
    )


def test_per_task_result_ttl_sets_expiry(database, job_model, clock) -> None:
    registry = TaskRegistry()
    registry.task("keep", result_ttl=timedelta(days=7))(lambda ctx: None)
    job_id = _new_job(database, job_model, "keep")

    run_job(database, job_model, registry, job_id, clock=clock)

    job = _load(database, job_model, job_id)
    assert (job.state, job.result, job.expires_at) == (JobState.SUCCESS, None, T0 + timedelta(days=7))


def test_a_job_runs_once_even_if_submitted_twice(database, job_model, clock) -> None:
    registry = TaskRegistry()
    calls = []
    registry.task("once")(lambda ctx: calls.append(ctx.job_id) or len(calls))
    job_id = _new_job(database, job_model, "once")

    assert run_job(database, job_model, registry, job_id, clock=clock) is JobState.SUCCESS
    assert run_job(database, job_model, registry, job_id, clock=clock) is None
    assert run_job(database, job_model, registry, "0" * 32, clock=clock) is None

    assert calls == [job_id]
    assert _load(database, job_model, job_id).attempts == 1


def test_revoked_pending_job_is_not_run(database, job_model, clock) -> None:
    registry = TaskRegistry()
    calls = []
    registry.task("never")(lambda ctx: calls.append(1))
    job_id = _new_job(database, job_model, "never")
    clock.advance(timedelta(seconds=5))

    with database.session() as session:
        assert revoke(session, job_model, job_id, now=clock.now()) is True
    assert run_job(database, job_model, registry, job_id, clock=clock) is None

    assert calls == []
    job = _load(database, job_model, job_id)
    assert job.state is JobState.REVOKED
    assert job.started_at is None
    assert job.attempts == 0
    assert job.finished_at == T0 + timedelta(seconds=5)
    assert job.expires_at == T0 + timedelta(seconds=5, hours=24)


def test_revoke_while_running_stops_the_task_at_its_next_progress(database, job_model, clock) -> None:
    registry = TaskRegistry()
    reached = []

    @registry.task("long")
    def long(ctx):
        ctx.progress(1, 10)
        with database.session() as session:
            revoke(session, job_model, ctx.job_id, now=clock.now())
        reached.append("revoked")
        ctx.progress(2, 10)
        reached.append("not reached")
        return "done"

    job_id = _new_job(database, job_model, "long")
    assert run_job(database, job_model, registry, job_id, clock=clock) is JobState.REVOKED

    assert reached == ["revoked"]
    job = _load(database, job_model, job_id)
    assert (job.state, job.progress_current, job.result, job.error) == (JobState.REVOKED, 1, None, None)


def test_revoke_while_running_wins_over_a_late_result(database, job_model, clock) -> None:
    registry = TaskRegistry()

    @registry.task("ignores_progress")
    def ignores_progress(ctx):
        with database.session() as session:
            revoke(session, job_model, ctx.job_id, now=clock.now())
        return "late"

    job_id = _new_job(database, job_model, "ignores_progress")
    assert run_job(database, job_model, registry, job_id, clock=clock) is JobState.REVOKED
    job = _load(database, job_model, job_id)
    assert (job.state, job.result) == (JobState.REVOKED, None)


def test_revoke_of_a_finished_job_changes_nothing(database, job_model, clock) -> None:
    registry = TaskRegistry()
    registry.task("quick")(lambda ctx: 1)
    job_id = _new_job(database, job_model, "quick")
    run_job(database, job_model, registry, job_id, clock=clock)

    with database.session() as session:
        assert revoke(session, job_model, job_id, now=clock.now()) is False
        assert revoke(session, job_model, "f" * 32, now=clock.now()) is False
    assert _load(database, job_model, job_id).state is JobState.SUCCESS
