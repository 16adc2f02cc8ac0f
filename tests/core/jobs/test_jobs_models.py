"""The job and lease columns: UTC datetimes, states and defaults on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from opsuite.core.jobs import JobQueue, JobState


def test_job_state_values_are_the_wire_strings() -> None:
    assert [state.value for state in JobState] == [
        "PENDING",
        "STARTED",
        "PROGRESS",
        "SUCCESS",
        "FAILURE",
        "REVOKED",
    ]
    assert JobState.SUCCESS == "SUCCESS"


def test_datetimes_come_back_aware_utc(database, job_model) -> None:
    plus_three = timezone(timedelta(hours=3))
    created = datetime(2025, 3, 1, 15, 30, 0, 123456, tzinfo=plus_three)
    with database.session() as session:
        job = JobQueue(job_model).enqueue_args(session, "t", {"a": 1}, now=created)
        job_id = job.id
    with database.session(write=False) as session:
        loaded = session.get(job_model, job_id)
        assert loaded.created_at == datetime(2025, 3, 1, 12, 30, 0, 123456, tzinfo=UTC)
        assert loaded.created_at.tzinfo is UTC
        assert loaded.state is JobState.PENDING
        assert loaded.args == {"a": 1}
        assert loaded.progress_current == 0
        assert loaded.progress_total is None
        assert loaded.attempts == 0
        assert (loaded.result, loaded.error, loaded.started_at, loaded.finished_at, loaded.expires_at) == (
            None,
            None,
            None,
            None,
            None,
        )
        assert len(job_id) == 32
        int(job_id, 16)


def test_datetime_comparison_orders_by_instant(database, job_model) -> None:
    base = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
    with database.session() as session:
        early = JobQueue(job_model).enqueue_args(session, "t", {}, now=base).id
        late = JobQueue(job_model).enqueue_args(session, "t", {}, now=base + timedelta(microseconds=1)).id
    # 13:00 at +01:00 is 12:00 UTC: only the later job is strictly after it.
    cutoff = datetime(2025, 1, 1, 13, 0, tzinfo=timezone(timedelta(hours=1)))
    with database.session(write=False) as session:
        after = session.scalars(select(job_model.id).where(job_model.created_at > cutoff)).all()
    assert after == [late]
    assert early != late


def test_naive_datetime_is_refused(database, job_model) -> None:
    def store_naive():
        with database.session() as session:
            JobQueue(job_model).enqueue_args(session, "t", {}, now=datetime(2025, 1, 1, 12, 0))

    with pytest.raises(StatementError, match="naive datetime"):
        store_naive()
