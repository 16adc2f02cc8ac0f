"""One outbox's delivery work: claim due rows, send signed attempts, record outcomes, sweep stragglers."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import random
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

import httpx
from sqlalchemy import Table, bindparam, or_, select, update
from sqlalchemy.orm import Session

from opsuite.core.aftercommit import AfterCommit
from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.core.db import Database
from opsuite.core.guarded_http import guarded_client
from opsuite.core.netguard import AddressPolicy, AddressRefused, url_has_credentials
from opsuite.core.outbox.models import RESPONSE_BODY_LIMIT, DeliveryStatus, OutboxMixin
from opsuite.core.outbox.service import Dispatcher

log = logging.getLogger(__name__)

M = TypeVar("M", bound=OutboxMixin)

PENDING = DeliveryStatus.PENDING.value
SUCCESS = DeliveryStatus.SUCCESS.value
FAILED = DeliveryStatus.FAILED.value


@dataclass(frozen=True)
class Target:
    """Where one delivery goes and the secret it is signed with; `timeout` overrides the row's."""

    url: str
    secret: str
    timeout: float | None = None


Resolver = Callable[[Session, Sequence[Any]], Mapping[uuid.UUID, "Target | str"]]
"""Maps claimed rows to their Target, or to a reason (str) to fail the row without sending; a row missing
from the answer fails as `Messages.no_target`."""


@dataclass(frozen=True)
class RetryPolicy:
    """Delay before attempt n+1 after attempt n failed: base × 2^(n−1), ± jitter, capped."""

    base: float = 1.0
    cap: float = 300.0
    jitter: float = 0.2

    def delay(self, failed_attempt: int) -> float:
        """Seconds to wait after the failed attempt number `failed_attempt` (1-based)."""
        raw = min(self.cap, self.base * float(2 ** max(failed_attempt - 1, 0)))
        if raw <= 0:
            return 0.0
        return min(self.cap, raw * random.uniform(1 - self.jitter, 1 + self.jitter))


@dataclass(frozen=True, kw_only=True)
class Messages:
    """Texts written to `error_message`, in the system's language.

    `exhausted` takes `{error}`; `timeout` the attempt's `{timeout}` in seconds; `http_status` the reply's
    `{status}`; `refused` the address policy's `{reason}`. `no_target` fails a row its resolver does not
    answer for, `lock_expired` a row whose last claim expired, `credentials` a URL with a user or password.
    `unreachable` stands for every failure to connect or to speak HTTP (name not found, refused, reset, TLS,
    not HTTP): the log a subscriber reads must not tell a closed port from a filtered one or name the
    service behind it. The details go to the server's own log.
    """

    exhausted: str
    no_target: str
    lock_expired: str
    timeout: str
    http_status: str
    unreachable: str
    refused: str
    credentials: str


@dataclass(frozen=True)
class Attempt:
    """One claimed attempt: everything the sender needs, outside any session."""

    id: uuid.UUID
    number: int
    event_type: str
    body: bytes
    url: str
    secret: str
    timeout: float
    max_attempts: int


@dataclass(frozen=True)
class Outcome:
    """What one attempt got: a status and body, or an error."""

    attempt: Attempt
    at: datetime
    status: int | None = None
    body: str | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Only a 2xx answer succeeds (redirects are not followed and fail)."""
        return self.error is None and self.status is not None and 200 <= self.status < 300


def signature(secret: str, body: bytes) -> str:
    """`sha256=<hex HMAC-SHA256(secret, body)>`, the `<prefix>-Signature` header's value."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Outbox(Generic[M]):
    """The delivery machinery of one outbox table; engines (in-process, Celery) call its methods.

    Business code `add`s prepared rows in its transaction; once it commits their ids go to the dispatcher
    attached (an engine attaches itself when it starts), or, with none, wait for the sweeper.
    Headers are named `<header_prefix>-Signature`, `-Event`, `-Id` and `-Timestamp`.
    """

    def __init__(
        self,
        database: Database,
        model: type[M],
        resolver: Resolver,
        *,
        header_prefix: str,
        messages: Messages,
        clock: Clock = SYSTEM_CLOCK,
        policy: RetryPolicy | None = None,
        lock_for: float = 90.0,
        early: float = 1.0,
        claim_chunk: int = 500,
        address_policy: AddressPolicy | None = None,
        response_excerpt: int = RESPONSE_BODY_LIMIT,
        per_target: int = 16,
    ) -> None:
        self.database = database
        self.model = model
        self.resolver = resolver
        self.clock = clock
        self.policy = policy or RetryPolicy()
        # A claim outlives the longest attempt; after it a crashed sender's attempt is taken up again.
        self.lock_for = timedelta(seconds=lock_for)
        # A timer firing a little early still finds its row due.
        self.early = timedelta(seconds=early)
        self.header_prefix = header_prefix
        self.messages = messages
        self.claim_chunk = claim_chunk
        # Where attempts may connect; the default refuses loopback, link-local, private and reserved targets.
        self.address_policy = address_policy or AddressPolicy()
        # Only this many characters of a reply are kept: the log must not become a reader of other services.
        self.response_excerpt = response_excerpt
        # Attempts in flight to one target (scheme, host, port) at most: a slow receiver keeps only its share.
        if per_target < 1:
            raise ValueError("per_target must be positive")
        self.per_target = per_target
        self._table: Table = model.__table__  # type: ignore[attr-defined]
        self._dispatcher: Dispatcher | None = None
        self._lock = threading.Lock()

    # -- where committed deliveries go ---------------------------------------------------------------------

    @property
    def dispatcher(self) -> Dispatcher | None:
        """The dispatcher committed deliveries go to, if one is attached."""
        with self._lock:
            return self._dispatcher

    def attach(self, dispatcher: Dispatcher) -> None:
        """Send committed deliveries and retries to `dispatcher` from now on."""
        with self._lock:
            self._dispatcher = dispatcher

    def detach(self, dispatcher: Dispatcher) -> None:
        """Stop sending to `dispatcher`, if it is still the attached one."""
        with self._lock:
            if self._dispatcher is dispatcher:
                self._dispatcher = None

    def add(self, session: Session, deliveries: Iterable[M]) -> None:
        """Add prepared deliveries in the caller's transaction; they are dispatched only once it commits."""
        for delivery in deliveries:
            session.add(delivery)
            _to_dispatch.add(session, (self, str(delivery.id)))

    def dispatch(self, ids: Sequence[str], delay: float = 0.0) -> bool:
        """Hand committed deliveries to the attached dispatcher; False leaves them to the sweeper."""
        dispatcher = self.dispatcher
        if dispatcher is None:
            log.debug(
                "no dispatcher for %s; %d deliveries wait for the sweeper", self.model.__name__, len(ids)
            )
            return False
        try:
            dispatcher.dispatch(list(ids), delay)
        except Exception:
            # The rows are committed; the sweeper will dispatch them again.
            log.exception("could not dispatch %d deliveries of %s", len(ids), self.model.__name__)
            return False
        return True

    # -- database work: each call is one short transaction for a whole batch -------------------------------

    def claim(self, ids: Sequence[str]) -> list[Attempt]:
        """Take the due, unlocked, pending rows among `ids` for one attempt each; others are left alone.

        The claim is one conditional UPDATE (attempts + 1, `locked_until` set), so two workers never send
        the same attempt. Rows whose target is gone or inactive are failed here without a request.
        """
        if not ids:
            return []
        model = self.model
        now = self.clock.now()
        keys = [uuid.UUID(str(value)) for value in ids]
        attempts: list[Attempt] = []
        with self.database.session() as session:
            for start in range(0, len(keys), self.claim_chunk):
                chunk = keys[start : start + self.claim_chunk]
                rows = list(
                    session.scalars(
                        update(model)
                        .where(
                            model.id.in_(chunk),
                            model.status == PENDING,
                            model.attempts < model.max_attempts,
                            or_(model.locked_until.is_(None), model.locked_until <= now),
                            model.next_attempt_at <= now + self.early,
                        )
                        .values(locked_until=now + self.lock_for, attempts=model.attempts + 1)
                        .returning(model),
                        execution_options={"synchronize_session": False},
                    )
                )
                if rows:
                    attempts.extend(self._resolve(session, rows, now))
        return attempts

    def targets(self, ids: Sequence[str]) -> dict[str, str]:
        """The target (`origin_of` its URL) of each pending row among `ids`, read without claiming anything.

        Lets an engine hold back rows whose target already has its share in flight, before locking them.
        """
        model = self.model
        keys = [uuid.UUID(str(value)) for value in ids]
        answer: dict[str, str] = {}
        with self.database.session(write=False) as session:
            for start in range(0, len(keys), self.claim_chunk):
                rows = list(
                    session.scalars(
                        select(model).where(
                            model.id.in_(keys[start : start + self.claim_chunk]), model.status == PENDING
                        )
                    )
                )
                for row_id, target in self.resolver(session, rows).items():
                    if isinstance(target, Target):
                        answer[str(row_id)] = origin_of(target.url)
        return answer

    def _resolve(self, session: Session, rows: list[M], now: datetime) -> list[Attempt]:
        targets = self.resolver(session, rows)
        attempts = []
        cancelled = []
        for row in rows:
            target = targets.get(row.id)
            if isinstance(target, Target):
                timeout = target.timeout if target.timeout is not None else row.timeout
                attempt = Attempt(
                    id=row.id,
                    number=row.attempts,
                    event_type=row.event_type,
                    body=row.body,
                    url=target.url,
                    secret=target.secret,
                    timeout=timeout,
                    max_attempts=row.max_attempts,
                )
                attempts.append(attempt)
            else:
                cancelled.append(
                    {"k_id": row.id, "k_attempt": row.attempts, "v_error": target or self.messages.no_target}
                )
        if cancelled:
            # Nothing was sent: the claim's attempt is given back and the row ends failed with the reason.
            table = self._table
            session.execute(
                update(table)
                .where(table.c.id == bindparam("k_id"), table.c.attempts == bindparam("k_attempt"))
                .values(
                    status=FAILED,
                    attempts=table.c.attempts - 1,
                    error_message=bindparam("v_error"),
                    next_attempt_at=None,
                    locked_until=None,
                    updated_at=now,
                ),
                cancelled,
            )
        return attempts

    def record(self, outcomes: Sequence[Outcome]) -> list[tuple[str, float]]:
        """Write the outcomes in one transaction; returns `(id, delay)` of the rows that get another attempt.

        An outcome whose claim was taken over (its lock expired and another worker claimed the row) is
        dropped: the row's `attempts` no longer matches.
        """
        if not outcomes:
            return []
        now = self.clock.now()
        params = []
        retries = []
        for outcome in outcomes:
            attempt = outcome.attempt
            row: dict[str, Any] = {
                "k_id": attempt.id,
                "k_attempt": attempt.number,
                "v_status": PENDING,
                "v_response_status": outcome.status,
                "v_response_body": outcome.body,
                "v_error": None,
                "v_delivered_at": None,
                "v_next": None,
                "v_updated_at": now,
            }
            if outcome.ok:
                row.update(v_status=SUCCESS, v_delivered_at=outcome.at)
            else:
                error = outcome.error or self.messages.http_status.format(status=outcome.status)
                if attempt.number < attempt.max_attempts:
                    delay = self.policy.delay(attempt.number)
                    row.update(v_error=error, v_next=now + timedelta(seconds=delay))
                    retries.append((str(attempt.id), delay))
                else:
                    row.update(v_status=FAILED, v_error=self.messages.exhausted.format(error=error))
            params.append(row)
        table = self._table
        with self.database.session() as session:
            session.execute(
                update(table)
                .where(
                    table.c.id == bindparam("k_id"),
                    table.c.attempts == bindparam("k_attempt"),
                    table.c.status == PENDING,
                )
                .values(
                    status=bindparam("v_status"),
                    response_status=bindparam("v_response_status"),
                    response_body=bindparam("v_response_body"),
                    error_message=bindparam("v_error"),
                    delivered_at=bindparam("v_delivered_at"),
                    next_attempt_at=bindparam("v_next"),
                    locked_until=None,
                    updated_at=bindparam("v_updated_at"),
                ),
                params,
            )
        return retries

    def sweep(self, *, older_than: float, limit: int = 5000) -> list[str]:
        """Ids of pending rows due more than `older_than` seconds ago and not locked: dispatch them again.

        Covers a crash between commit and dispatch, a sender killed mid-attempt (its lock expired) and a
        retry whose timer died with its process. A row whose last attempt was lost that way ends failed.
        """
        model = self.model
        now = self.clock.now()
        cutoff = now - timedelta(seconds=older_than)
        with self.database.session() as session:
            rows = session.execute(
                select(model.id, model.attempts, model.max_attempts, model.error_message)
                .where(
                    model.status == PENDING,
                    model.next_attempt_at <= cutoff,
                    or_(model.locked_until.is_(None), model.locked_until <= now),
                )
                .order_by(model.next_attempt_at)
                .limit(limit)
            ).all()
            exhausted = [
                {
                    "k_id": row.id,
                    "k_attempt": row.attempts,
                    "v_error": self.messages.exhausted.format(
                        error=self.messages.lock_expired if row.error_message is None else row.error_message
                    ),
                }
                for row in rows
                if row.attempts >= row.max_attempts
            ]
            if exhausted:
                table = self._table
                session.execute(
                    update(table)
                    .where(
                        table.c.id == bindparam("k_id"),
                        table.c.attempts == bindparam("k_attempt"),
                        table.c.status == PENDING,
                    )
                    .values(
                        status=FAILED,
                        error_message=bindparam("v_error"),
                        next_attempt_at=None,
                        locked_until=None,
                        updated_at=now,
                    ),
                    exhausted,
                )
        return [str(row.id) for row in rows if row.attempts < row.max_attempts]

    # -- sending -------------------------------------------------------------------------------------------

    def headers(self, attempt: Attempt, now: datetime) -> dict[str, str]:
        """Headers of one attempt: the signature over the exact body, the event, a stable id, the time."""
        prefix = self.header_prefix
        return {
            "Content-Type": "application/json",
            f"{prefix}-Signature": signature(attempt.secret, attempt.body),
            f"{prefix}-Event": attempt.event_type,
            f"{prefix}-Id": str(attempt.id),
            f"{prefix}-Timestamp": str(int(now.timestamp())),
        }

    def client(self, limits: httpx.Limits | None = None) -> httpx.AsyncClient:
        """An HTTP client whose connections reach only addresses the outbox's policy allows."""
        return guarded_client(self.address_policy, limits=limits)

    async def send(self, client: httpx.AsyncClient, attempt: Attempt) -> Outcome:
        """POST the attempt's bytes; never raises. The whole exchange is bounded by the timeout.

        `client` should come from `client()`: the address check happens where it connects.
        """
        now = self.clock.now()
        if url_has_credentials(attempt.url):
            return Outcome(attempt, now, error=self.messages.credentials)
        try:
            async with asyncio.timeout(attempt.timeout):
                async with client.stream(
                    "POST",
                    attempt.url,
                    content=attempt.body,
                    headers=self.headers(attempt, now),
                    timeout=attempt.timeout,
                    follow_redirects=False,
                ) as response:
                    body = await _read_some(response, self.response_excerpt * 4)
        except (TimeoutError, httpx.TimeoutException):
            return Outcome(attempt, now, error=self.messages.timeout.format(timeout=attempt.timeout))
        except AddressRefused as exc:
            log.warning("delivery %s not sent: target %s refused", attempt.id, exc)
            return Outcome(attempt, now, error=self.messages.refused.format(reason=exc.reason))
        except (httpx.RequestError, httpx.InvalidURL) as exc:
            log.info("delivery %s: %s: %s", attempt.id, type(exc).__name__, exc)
            return Outcome(attempt, now, error=self.messages.unreachable)
        except Exception:  # any failure of one attempt is that attempt's error, never the sender's
            log.exception("delivery %s failed unexpectedly", attempt.id)
            return Outcome(attempt, now, error=self.messages.unreachable)
        text_body = body.decode("utf-8", "replace")[: self.response_excerpt]
        return Outcome(attempt, now, status=response.status_code, body=text_body)

    async def send_all(self, attempts: Sequence[Attempt], *, concurrency: int = 64) -> list[Outcome]:
        """Send attempts concurrently over one client (a worker's one-shot `deliver`), `per_target` at most
        to one target."""
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        semaphore = asyncio.Semaphore(concurrency)
        per_target: dict[str, asyncio.Semaphore] = {}
        async with self.client(limits) as client:

            async def one(attempt: Attempt) -> Outcome:
                share = per_target.setdefault(origin_of(attempt.url), asyncio.Semaphore(self.per_target))
                async with share, semaphore:
                    return await self.send(client, attempt)

            return list(await asyncio.gather(*(one(attempt) for attempt in attempts)))

    def deliver(self, ids: Sequence[str], dispatcher: Dispatcher | None = None) -> dict[str, int]:
        """Claim, send and record `ids` in this thread; retries go to `dispatcher` (or the attached one).

        The plain function a Celery worker runs (`outbox.deliver`). Without a dispatcher a retry waits for
        the sweeper.
        """
        attempts = self.claim(ids)
        outcomes = asyncio.run(self.send_all(attempts)) if attempts else []
        retries = self.record(outcomes)
        dispatcher = dispatcher or self.dispatcher
        if dispatcher is not None:
            for delivery_id, delay in retries:
                try:
                    dispatcher.dispatch([delivery_id], delay)
                except Exception:
                    log.exception("could not schedule the retry of %s; the sweeper will", delivery_id)
        return {
            "claimed": len(attempts),
            "succeeded": sum(outcome.ok for outcome in outcomes),
            "retrying": len(retries),
        }


def _dispatch_all(entries: list[tuple[Outbox[Any], str]]) -> None:
    by_outbox: dict[Outbox[Any], list[str]] = {}
    for outbox, delivery_id in entries:
        by_outbox.setdefault(outbox, []).append(delivery_id)
    for outbox, ids in by_outbox.items():
        outbox.dispatch(ids)


_to_dispatch: AfterCommit[tuple[Outbox[Any], str]] = AfterCommit("opsuite.outbox.to_dispatch", _dispatch_all)


def origin_of(url: str) -> str:
    """`scheme://host:port` of a URL: what shares one receiver's capacity (the URL itself if unparsable)."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        return url
    port = parsed.port or {"http": 80, "https": 443}.get(parsed.scheme, 0)
    return f"{parsed.scheme}://{parsed.host}:{port}"


async def _read_some(response: httpx.Response, limit: int) -> bytes:
    chunks = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= limit:
            break
    return b"".join(chunks)
