"""Core outbox on its own table: add after commit, claim fencing, retries, sweeper, engines."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Iterator, Mapping, Sequence
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import String, delete
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from tests.clock import FakeClock
from tests.production.webhook_receiver import Receiver, Reply

from opsuite.core.db import Database, new_metadata
from opsuite.core.netguard import AddressPolicy
from opsuite.core.outbox import (
    CallDispatcher,
    InProcessDispatcher,
    Outbox,
    OutboxMixin,
    Outcome,
    RetryPolicy,
    Target,
    prepare,
    signature,
)
from opsuite.production.webhooks.delivery import HEADER_PREFIX, MESSAGES


class OutboxTestBase(DeclarativeBase):
    metadata = new_metadata()


class Message(OutboxMixin, OutboxTestBase):
    """A test outbox table; `target` names the receiver path, or a reason to refuse."""

    __tablename__ = "core_outbox_messages"

    target: Mapped[str] = mapped_column(String(200))


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[list[str], float]] = []

    def dispatch(self, ids: Sequence[str], delay: float = 0.0) -> None:
        self.calls.append((list(ids), delay))


@pytest.fixture
def database(database: Database) -> Database:
    """The core test database with this module's table, emptied."""
    Message.__table__.create(database.engine, checkfirst=True)  # type: ignore[attr-defined]
    with database.session() as session:
        session.execute(delete(Message))
    return database


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver().running() as running:
        yield running


def make_outbox(database: Database, clock: FakeClock, base_url: str, **kwargs: Any) -> Outbox[Message]:
    def resolve(session: Session, rows: Sequence[Any]) -> Mapping[uuid.UUID, Target | str]:
        answer: dict[uuid.UUID, Target | str] = {}
        for row in rows:
            if row.target.startswith("/"):
                answer[row.id] = Target(url=base_url + row.target, secret="s3cret")
            elif row.target != "missing":
                answer[row.id] = row.target
        return answer

    # The receiver listens on loopback, which the default address policy refuses.
    kwargs.setdefault("address_policy", AddressPolicy.of(allowed=["127.0.0.0/8"]))
    return Outbox(
        database,
        Message,
        resolve,
        # Production's vocabulary: these tests assert its headers and texts.
        header_prefix=HEADER_PREFIX,
        messages=MESSAGES,
        clock=clock,
        policy=RetryPolicy(base=0),
        **kwargs,
    )


def new_message(clock: FakeClock, target: str = "/hook", *, attempts: int = 1, timeout: float = 5) -> Message:
    message = Message(target=target, event_type="thing.happened", payload={"n": 1})
    message.id = uuid.uuid4()
    message.body = json.dumps({"id": str(message.id), "n": 1}).encode()
    return prepare(message, now=clock.now(), max_attempts=attempts, timeout=timeout)


def commit(outbox: Outbox[Message], *messages: Message) -> list[str]:
    with outbox.database.session() as session:
        outbox.add(session, messages)
    return [str(message.id) for message in messages]


def load(database: Database, message_id: str) -> Message:
    with database.session(write=False) as session:
        return session.get_one(Message, uuid.UUID(message_id))


def test_retry_policy_doubles_and_caps() -> None:
    policy = RetryPolicy(base=1, cap=300, jitter=0)
    assert [policy.delay(n) for n in range(1, 11)] == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300]
    jittered = RetryPolicy(base=10, cap=300, jitter=0.2)
    assert all(8 <= jittered.delay(1) <= 12 for _ in range(100))
    assert RetryPolicy(base=0).delay(5) == 0


def test_signature_is_hmac_sha256_of_the_bytes() -> None:
    body = b'{"a":1}'
    assert signature("k", body) == "sha256=" + hmac.new(b"k", body, hashlib.sha256).hexdigest()


def test_call_dispatcher_sends_chunks_to_the_worker_function() -> None:
    calls: list[tuple[str, dict[str, Any], float | None]] = []

    class Caller:
        def call(self, name: str, kwargs: Mapping[str, Any], countdown: float | None = None) -> None:
            calls.append((name, dict(kwargs), countdown))

    CallDispatcher(Caller(), chunk=2).dispatch(["a", "b", "c"], 1.5)
    CallDispatcher(Caller()).dispatch(["d"])
    assert calls == [
        ("outbox.deliver", {"ids": ["a", "b"]}, 1.5),
        ("outbox.deliver", {"ids": ["c"]}, 1.5),
        ("outbox.deliver", {"ids": ["d"]}, None),
    ]


def test_ids_reach_the_dispatcher_only_after_commit(database: Database, clock: FakeClock) -> None:
    recorder = Recorder()
    outbox = make_outbox(database, clock, "http://unused")
    outbox.attach(recorder)
    kept = new_message(clock)
    with database.session() as session:
        outbox.add(session, [kept])
        session.flush()
        assert recorder.calls == []
    assert recorder.calls == [([str(kept.id)], 0.0)]

    recorder.calls.clear()

    def roll_back() -> None:
        with database.session() as session:
            outbox.add(session, [new_message(clock)])
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        roll_back()
    assert recorder.calls == []

    outer, inner = new_message(clock), new_message(clock)
    with database.session() as session:
        outbox.add(session, [outer])
        savepoint = session.begin_nested()
        outbox.add(session, [inner])
        savepoint.rollback()
    assert recorder.calls == [([str(outer.id)], 0.0)]


def test_without_a_dispatcher_rows_wait_for_the_sweeper(database: Database, clock: FakeClock) -> None:
    outbox = make_outbox(database, clock, "http://unused")
    assert outbox.dispatch(["x"]) is False
    [message_id] = commit(outbox, new_message(clock))
    assert outbox.sweep(older_than=30) == []
    clock.advance(timedelta(seconds=31))
    assert outbox.sweep(older_than=30) == [message_id]


def test_claim_takes_only_due_unlocked_pending_rows_once(database: Database, clock: FakeClock) -> None:
    outbox = make_outbox(database, clock, "http://h")
    due = new_message(clock)
    later = new_message(clock)
    later.next_attempt_at = clock.now() + timedelta(seconds=60)
    ids = commit(outbox, due, later)
    [attempt] = outbox.claim(ids)
    assert (str(attempt.id), attempt.number, attempt.url, attempt.secret) == (
        ids[0],
        1,
        "http://h/hook",
        "s3cret",
    )
    assert outbox.claim(ids) == []  # locked now, and the other is not due
    row = load(database, ids[0])
    assert (row.attempts, row.locked_until) == (1, clock.now() + timedelta(seconds=90))


def test_an_outcome_of_a_retaken_attempt_is_dropped(
    database: Database, clock: FakeClock, receiver: Receiver
) -> None:
    outbox = make_outbox(database, clock, receiver.url, lock_for=10)
    [message_id] = commit(outbox, new_message(clock, attempts=3))
    [stale] = outbox.claim([message_id])
    clock.advance(timedelta(seconds=11))
    [fresh] = outbox.claim([message_id])
    assert (stale.number, fresh.number) == (1, 2)
    assert outbox.record([]) == []
    assert outbox.record([Outcome(stale, clock.now(), status=500, body="late")]) == [(message_id, 0.0)]
    assert load(database, message_id).response_body is None  # dropped: attempt 1 is no longer the row's
    outbox.record([Outcome(fresh, clock.now(), status=200, body="ok")])
    row = load(database, message_id)
    assert (row.status, row.attempts, row.response_body, row.delivered_at) == (
        "success",
        2,
        "ok",
        clock.now(),
    )


def test_unresolved_targets_fail_without_a_request(
    database: Database, clock: FakeClock, receiver: Receiver
) -> None:
    outbox = make_outbox(database, clock, receiver.url)
    refused, missing = commit(outbox, new_message(clock, "disabled target"), new_message(clock, "missing"))
    assert outbox.deliver([refused, missing]) == {"claimed": 0, "succeeded": 0, "retrying": 0}
    rows = [load(database, refused), load(database, missing)]
    assert [(row.status, row.attempts, row.error_message) for row in rows] == [
        ("failed", 0, "disabled target"),
        ("failed", 0, "Получатель доставки не найден"),
    ]
    assert receiver.requests == []


def test_in_process_engine_retries_then_fails(
    database: Database, clock: FakeClock, receiver: Receiver
) -> None:
    receiver.by_path["/flaky"] = [Reply(500), Reply(200, b"done")]
    receiver.by_path["/down"] = [Reply(404, b"no")]
    outbox = make_outbox(database, clock, receiver.url)
    engine = InProcessDispatcher(outbox, concurrency=4, per_client=2)
    engine.start()
    try:
        flaky, down = commit(
            outbox, new_message(clock, "/flaky", attempts=3), new_message(clock, "/down", attempts=2)
        )
        assert engine.join(10)
    finally:
        engine.shutdown()
    assert sorted(r.path for r in receiver.requests) == ["/down", "/down", "/flaky", "/flaky"]
    for request in receiver.requests:
        assert request.headers["X-Webhook-Signature"] == signature("s3cret", request.body)
        assert request.headers["X-Webhook-Id"] == json.loads(request.body)["id"]
    ok, failed = load(database, flaky), load(database, down)
    assert (ok.status, ok.attempts, ok.response_status, ok.response_body) == ("success", 2, 200, "done")
    assert (failed.status, failed.attempts, failed.response_status, failed.error_message) == (
        "failed",
        2,
        404,
        "Все попытки исчерпаны: HTTP 404",
    )
    assert (ok.next_attempt_at, ok.locked_until, failed.next_attempt_at) == (None, None, None)


def test_a_retry_waits_for_its_delay(database: Database, clock: FakeClock, receiver: Receiver) -> None:
    receiver.answer(Reply(500), Reply(200))
    outbox = make_outbox(database, clock, receiver.url)
    outbox.policy = RetryPolicy(base=0.5, jitter=0)
    engine = InProcessDispatcher(outbox)
    engine.start()
    try:
        [message_id] = commit(outbox, new_message(clock, attempts=2))
        first = receiver.wait(1)[0]
        assert engine.join(10)
    finally:
        engine.shutdown()
    second = receiver.wait(2)[1]
    assert second.at - first.at >= 0.45
    row = load(database, message_id)
    assert (row.status, row.attempts) == ("success", 2)
