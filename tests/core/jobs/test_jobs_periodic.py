"""Periodic tasks fire once per interval across processes, under a database lease."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select
from tests.core.jobs.recording import RecordingRunner

from opsuite.core.jobs import (
    JobQueue,
    JobState,
    PeriodicScheduler,
    TaskRegistry,
    acquire_lease,
    release_lease,
    run_job,
)

EVERY = timedelta(minutes=5)


def _registry():
    registry = TaskRegistry()
    registry.periodic("scales.auto_update", every=EVERY, kwargs={"scope": "all"})(lambda ctx, *, scope: scope)
    registry.periodic("hourly", every=timedelta(hours=1))(lambda ctx: None)
    return registry


def _jobs(database, job_model):
    with database.session(write=False) as session:
        rows = session.execute(
            select(job_model.name, job_model.args, job_model.created_at).order_by(
                job_model.created_at, job_model.name
            )
        )
        return [tuple(row) for row in rows]


def _lease(database, lease_model, name):
    with database.session(write=False) as session:
        row = session.get(lease_model, name)
        return (row.holder, row.expires_at)


def test_two_processes_fire_each_periodic_task_once_per_interval(
    make_database, job_model, lease_model, clock
) -> None:
    registry = _registry()
    schedulers = [
        PeriodicScheduler(
            make_database(), JobQueue(job_model), lease_model, registry, clock=clock, holder=holder
        )
        for holder in ("worker-a", "worker-b")
    ]
    a, b = schedulers
    t0 = clock.now()

    first_a, first_b = a.run_pending(), b.run_pending()
    clock.advance(EVERY - timedelta(microseconds=1))
    early = [a.run_pending(), b.run_pending()]
    clock.advance(timedelta(microseconds=1))
    second_b, second_a = b.run_pending(), a.run_pending()

    assert (len(first_a), first_b) == (2, [])
    assert early == [[], []]
    assert (second_a, len(second_b)) == ([], 1)
    assert _jobs(a.database, job_model) == [
        ("hourly", {}, t0),
        ("scales.auto_update", {"scope": "all"}, t0),
        ("scales.auto_update", {"scope": "all"}, t0 + EVERY),
    ]
    assert _lease(a.database, lease_model, "periodic:scales.auto_update") == ("worker-b", t0 + 2 * EVERY)
    assert _lease(a.database, lease_model, "periodic:hourly") == ("worker-a", t0 + timedelta(hours=1))


def test_twelve_intervals_with_two_schedulers_make_twelve_jobs(
    make_database, job_model, lease_model, clock
) -> None:
    registry = TaskRegistry()
    registry.periodic("tick", every=EVERY)(lambda ctx: None)
    a, b = (
        PeriodicScheduler(
            make_database(),
            JobQueue(job_model),
            lease_model,
            registry,
            clock=clock,
            holder=h,
            maintenance_every=None,
        )
        for h in ("a", "b")
    )
    fired = []
    for _ in range(12):
        # Each process ticks every minute; they alternate who sees the lease expire first.
        for _ in range(5):
            fired += a.run_pending() + b.run_pending()
            clock.advance(timedelta(minutes=1))
        a, b = b, a
    assert len(fired) == 12
    assert len(_jobs(a.database, job_model)) == 12


def test_concurrent_takers_get_the_lease_exactly_once(make_database, lease_model, clock) -> None:
    databases = [make_database() for _ in range(6)]
    barrier = threading.Barrier(len(databases))
    won = []

    def take(database, holder):
        barrier.wait(30)
        with database.session() as session:
            if acquire_lease(session, lease_model, "race", holder=holder, ttl=EVERY, now=clock.now()):
                won.append(holder)

    # Two rounds: the first races on INSERT, the second on the conditional UPDATE of an expired lease.
    for round_no in range(2):
        threads = [
            threading.Thread(target=take, args=(db, f"p{round_no}-{i}")) for i, db in enumerate(databases)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert len(won) == round_no + 1
        clock.advance(EVERY)


def test_lease_is_taken_over_after_expiry(database, lease_model, clock) -> None:
    t0 = clock.now()
    with database.session() as session:
        assert acquire_lease(session, lease_model, "l", holder="a", ttl=EVERY, now=t0) is True
        assert acquire_lease(session, lease_model, "l", holder="b", ttl=EVERY, now=t0) is False
        # Holding it does not renew it either: one fire per interval, whoever asks.
        assert acquire_lease(session, lease_model, "l", holder="a", ttl=EVERY, now=t0 + EVERY / 2) is False
    assert _lease(database, lease_model, "l") == ("a", t0 + EVERY)

    with database.session() as session:
        later = t0 + EVERY + timedelta(seconds=30)
        assert acquire_lease(session, lease_model, "l", holder="b", ttl=EVERY, now=later) is True
    assert _lease(database, lease_model, "l") == ("b", later + EVERY)

    with database.session() as session:
        assert release_lease(session, lease_model, "l", holder="a") is False
        assert release_lease(session, lease_model, "l", holder="b") is True
        assert acquire_lease(session, lease_model, "l", holder="a", ttl=EVERY, now=later) is True


def test_stopped_scheduler_is_replaced_after_the_interval(
    make_database, job_model, lease_model, clock
) -> None:
    registry = TaskRegistry()
    registry.periodic("tick", every=EVERY)(lambda ctx: None)
    a = PeriodicScheduler(
        make_database(), JobQueue(job_model), lease_model, registry, clock=clock, holder="a"
    )
    b = PeriodicScheduler(
        make_database(), JobQueue(job_model), lease_model, registry, clock=clock, holder="b"
    )
    t0 = clock.now()

    assert len(a.run_pending()) == 1
    # `a` dies here; `b` keeps ticking and takes over once a's lease has run out.
    clock.advance(EVERY - timedelta(seconds=1))
    assert b.run_pending() == []
    clock.advance(timedelta(seconds=1))
    assert len(b.run_pending()) == 1

    assert _lease(b.database, lease_model, "periodic:tick") == ("b", t0 + 2 * EVERY)


def test_periodic_job_runs_like_any_job(database, job_model, lease_model, clock) -> None:
    registry = _registry()
    scheduler = PeriodicScheduler(
        database, JobQueue(job_model), lease_model, registry, clock=clock, holder="a"
    )
    ids = scheduler.run_pending()
    states = [run_job(database, job_model, registry, job_id, clock=clock) for job_id in ids]
    assert states == [JobState.SUCCESS, JobState.SUCCESS]
    with database.session(write=False) as session:
        results = {session.get(job_model, i).name: session.get(job_model, i).result for i in ids}
    assert results == {"scales.auto_update": "all", "hourly": None}


def test_maintenance_purges_and_resubmits_once_across_processes(
    make_database, job_model, lease_model, clock
) -> None:
    recorder = RecordingRunner()
    submitted = recorder.submitted

    queue = JobQueue(job_model)
    queue.attach(recorder)
    registry = TaskRegistry()
    a, b = (
        PeriodicScheduler(
            make_database(),
            queue,
            lease_model,
            registry,
            clock=clock,
            holder=holder,
            maintenance_every=timedelta(minutes=1),
            stale_after=timedelta(minutes=10),
        )
        for holder in ("a", "b")
    )
    t0 = clock.now()
    with a.database.session() as session:
        expired = queue.enqueue_args(session, "done", {}, now=t0 - timedelta(days=2))
        expired.state, expired.expires_at = JobState.SUCCESS, t0 - timedelta(days=1)
        stale = queue.enqueue_args(session, "stuck", {}, now=t0 - timedelta(minutes=10)).id
        recent = queue.enqueue_args(session, "recent", {}, now=t0 - timedelta(minutes=9)).id
    submitted.clear()

    assert (a.maintain(timedelta(minutes=1)), b.maintain(timedelta(minutes=1))) == (True, False)
    assert submitted == [stale]
    assert sorted(name for name, _, _ in _jobs(a.database, job_model)) == ["recent", "stuck"]

    clock.advance(timedelta(minutes=1))
    b.run_pending()
    a.run_pending()
    # One more minute made "recent" stale too; the atomic claim in run_job makes repeats harmless.
    assert submitted == [stale, stale, recent]


def test_scheduler_thread_fires_and_stops(database, job_model, lease_model) -> None:
    registry = TaskRegistry()
    registry.periodic("tick", every=timedelta(hours=1))(lambda ctx: None)
    scheduler = PeriodicScheduler(database, JobQueue(job_model), lease_model, registry, tick=0.01, holder="t")
    scheduler.start()
    assert scheduler.running is True
    try:
        for _ in range(3000):
            if _jobs(database, job_model):
                break
            threading.Event().wait(0.01)
    finally:
        scheduler.stop()
    assert [name for name, _, _ in _jobs(database, job_model)] == ["tick"]
    assert scheduler.running is False
