"""Dispatch engines: one background thread with an asyncio loop (default), or a worker function caller."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import deque
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

import httpx

from opsuite.core.outbox.delivery import Attempt, Outbox, Outcome, origin_of

log = logging.getLogger(__name__)


class InProcessDispatcher:
    """Sends deliveries from this process: one thread running an asyncio loop and one shared AsyncClient.

    At most `concurrency` attempts are in flight; rows are claimed only as slots free up (so a claim's lock
    never waits behind a queue), and claims and outcomes go to the database in batches on one extra thread,
    while the loop keeps sending. A retry is a timer on the loop; if the process dies, the sweeper finds it.

    Fair per target: at most `outbox.per_target` attempts are in flight to one target (scheme, host, port).
    Before claiming, the engine reads each row's target; a row whose target has its share in flight is
    parked unclaimed (so its lock cannot expire while it waits) and queued again when an attempt to that
    target ends. A slow receiver therefore holds only its share of the slots and the others keep flowing.

    The "one client" is a small set of `httpx.AsyncClient`s of `per_client` connections each, every attempt
    going to the least busy one: httpx's pool slows down as it grows (measured here, bare, 100 connections in
    one client: ~250 req/s; 25 clients of 4: ~880 req/s), and no attempt ever waits for a pooled connection.
    """

    def __init__(
        self, outbox: Outbox[Any], *, concurrency: int = 64, batch_size: int = 200, per_client: int = 4
    ) -> None:
        if concurrency < 1 or batch_size < 1 or per_client < 1:
            raise ValueError("concurrency, batch_size and per_client must be positive")
        self.outbox = outbox
        self.concurrency = concurrency
        self.batch_size = batch_size
        self.per_client = per_client
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._db = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-db")
        self._clients: list[httpx.AsyncClient] = []
        self._busy: list[int] = []
        # Loop-side state (touched only on the loop thread).
        self._queue: deque[str] = deque()
        self._queued: set[str] = set()  # queued or parked ids, so a repeated dispatch is not sent twice
        self._in_flight: dict[str, int] = {}  # attempts per target, counted from before their claim
        self._parked: dict[str, deque[str]] = {}  # ids waiting for their target's share, unclaimed
        self._free = concurrency
        self._claiming = False
        self._flushing = False
        self._results: list[Outcome] = []
        self._timers: set[asyncio.TimerHandle] = set()
        self._tasks: set[asyncio.Task[Any]] = set()
        # Deliveries dispatched and not yet settled (queued, waiting on a timer, in flight, unrecorded).
        self._outstanding = 0
        self._idle = threading.Condition()
        self._closed = False

    # -- public, any thread -----------------------------------------------------------------------------

    def start(self) -> None:
        """Start the loop thread and attach this dispatcher to its outbox."""
        if self._thread is not None:
            return
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ready,), name="outbox-loop", daemon=True)
        self._thread.start()
        ready.wait()
        self.outbox.attach(self)

    def dispatch(self, ids: Sequence[str], delay: float = 0.0) -> None:
        """Schedule an attempt of each id now, or after `delay` seconds."""
        loop = self._loop
        if loop is None or self._closed or not ids:
            if ids:
                log.debug("outbox dispatcher not running; %d deliveries wait for the sweeper", len(ids))
            return
        ids = [str(value) for value in ids]
        self._settle(-len(ids))
        try:
            loop.call_soon_threadsafe(self._schedule, ids, delay)
        except RuntimeError:  # the loop closed meanwhile: the sweeper will find the rows
            self._settle(len(ids))

    def join(self, timeout: float | None = None) -> bool:
        """Wait until every dispatched delivery has settled (final, or its retry timer waiting is not)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._outstanding == 0, timeout)

    def shutdown(self, wait: bool = True, timeout: float = 10.0) -> None:
        """Stop: attempts in flight finish and are recorded (with `wait`); queued and timed ones are left
        to the sweeper of whichever process runs next."""
        self.outbox.detach(self)
        loop, thread = self._loop, self._thread
        if loop is None or thread is None or self._closed:
            return
        self._closed = True
        future = asyncio.run_coroutine_threadsafe(self._close(wait, timeout), loop)
        try:
            future.result(timeout + 5)
        except Exception:
            log.exception("outbox dispatcher did not close cleanly")
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout + 5)
        self._db.shutdown(wait=True)
        self._thread = None
        self._loop = None

    # -- loop thread --------------------------------------------------------------------------------------

    def _run(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        count = -(-self.concurrency // self.per_client)
        limits = httpx.Limits(max_connections=self.per_client, max_keepalive_connections=self.per_client)
        self._clients = [self.outbox.client(limits) for _ in range(count)]
        self._busy = [0] * count
        ready.set()
        try:
            loop.run_forever()
        finally:
            loop.close()

    async def _close(self, wait: bool, timeout: float) -> None:
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()
        self._queue.clear()
        self._queued.clear()
        self._parked.clear()
        if wait and self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)
            if self._results:
                await self._flush()
        for task in self._tasks:
            task.cancel()
        for client in self._clients:
            await client.aclose()
        with self._idle:
            self._outstanding = 0
            self._idle.notify_all()

    def _settle(self, count: int) -> None:
        # Negative: more outstanding; positive: that many settled.
        with self._idle:
            self._outstanding -= count
            if self._outstanding <= 0:
                self._outstanding = 0
                self._idle.notify_all()

    def _schedule(self, ids: list[str], delay: float) -> None:
        if self._closed:
            return
        if delay > 0:
            assert self._loop is not None
            handle: asyncio.TimerHandle

            def fire() -> None:
                self._timers.discard(handle)
                self._enqueue(ids)

            handle = self._loop.call_later(delay, fire)
            self._timers.add(handle)
        else:
            self._enqueue(ids)

    def _enqueue(self, ids: list[str]) -> None:
        duplicates = 0
        for delivery_id in ids:
            if delivery_id in self._queued:
                duplicates += 1
            else:
                self._queued.add(delivery_id)
                self._queue.append(delivery_id)
        if duplicates:
            self._settle(duplicates)
        self._pump()

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _pump(self) -> None:
        if self._claiming or self._closed or not self._queue or self._free <= 0:
            return
        count = min(self._free, self.batch_size, len(self._queue))
        ids = [self._queue.popleft() for _ in range(count)]
        self._free -= count
        self._claiming = True
        self._spawn(self._claim(ids))

    async def _claim(self, ids: list[str]) -> None:
        assert self._loop is not None
        attempts: list[Attempt] = []
        admitted: list[str] = ids
        reserved: dict[str, str] = {}
        try:
            targets = await self._loop.run_in_executor(self._db, self.outbox.targets, ids)
            admitted, reserved = self._admit(ids, targets)
            if admitted:
                attempts = await self._loop.run_in_executor(self._db, self.outbox.claim, admitted)
        except Exception:
            log.exception("claiming %d deliveries failed; the sweeper will retry them", len(ids))
        finally:
            self._claiming = False
            self._queued.difference_update(admitted)
        self._free += len(ids) - len(admitted)  # parked ids give their slot back and stay outstanding
        unclaimed = len(admitted) - len(attempts)
        self._free += unclaimed
        if unclaimed:
            self._settle(unclaimed)
        for attempt in attempts:
            target = reserved.pop(str(attempt.id), None)
            if target is None:  # its target was not known before the claim
                target = origin_of(attempt.url)
                self._in_flight[target] = self._in_flight.get(target, 0) + 1
            self._spawn(self._send(attempt, target))
        for target in reserved.values():
            self._release(target)
        self._pump()

    def _admit(self, ids: list[str], targets: dict[str, str]) -> tuple[list[str], dict[str, str]]:
        # Reserve a share for each id whose target has room; park the others, unclaimed.
        admitted: list[str] = []
        reserved: dict[str, str] = {}
        for delivery_id in ids:
            target = targets.get(delivery_id)
            if target is None:  # not pending any more, or no target: the claim decides
                admitted.append(delivery_id)
            elif self._in_flight.get(target, 0) >= self.outbox.per_target:
                self._parked.setdefault(target, deque()).append(delivery_id)
            else:
                self._in_flight[target] = self._in_flight.get(target, 0) + 1
                reserved[delivery_id] = target
                admitted.append(delivery_id)
        return admitted, reserved

    def _release(self, target: str) -> None:
        # One attempt to `target` ended: its share has room again for one parked delivery.
        count = self._in_flight.get(target, 0) - 1
        if count > 0:
            self._in_flight[target] = count
        else:
            self._in_flight.pop(target, None)
        parked = self._parked.get(target)
        if parked:
            self._queue.appendleft(parked.popleft())
            if not parked:
                del self._parked[target]

    async def _send(self, attempt: Attempt, target: str) -> None:
        # In-flight attempts never exceed the clients' connections, so the least busy client has one free.
        index = min(range(len(self._busy)), key=self._busy.__getitem__)
        self._busy[index] += 1
        try:
            outcome = await self.outbox.send(self._clients[index], attempt)
        finally:
            self._busy[index] -= 1
            self._release(target)
        self._free += 1
        self._results.append(outcome)
        if not self._flushing:
            self._spawn(self._flush())
        self._pump()

    async def _flush(self) -> None:
        assert self._loop is not None
        if self._flushing:
            return
        self._flushing = True
        try:
            while self._results:
                batch, self._results = self._results, []
                retries: list[tuple[str, float]] = []
                try:
                    retries = await self._loop.run_in_executor(self._db, self.outbox.record, batch)
                except Exception:
                    log.exception("recording %d outcomes failed; their rows wait for the sweeper", len(batch))
                for delivery_id, delay in retries:
                    self._settle(-1)
                    self._schedule([delivery_id], delay)
                self._settle(len(batch))
        finally:
            self._flushing = False


class FunctionCaller(Protocol):
    """What sends a plain function to a worker: `CeleryRunner.call` has this shape."""

    def call(self, name: str, kwargs: Mapping[str, Any], countdown: float | None = None) -> None:
        """Run the registered function `name(**kwargs)` on a worker, after `countdown` seconds."""


class CallDispatcher:
    """A Dispatcher that sends `name(ids=[...])` to workers (Celery: `CeleryRunner`), in chunks."""

    def __init__(self, caller: FunctionCaller, name: str = "outbox.deliver", *, chunk: int = 100) -> None:
        self.caller = caller
        self.name = name
        self.chunk = chunk

    def dispatch(self, ids: Sequence[str], delay: float = 0.0) -> None:
        """One worker call per chunk of ids."""
        ids = [str(value) for value in ids]
        for start in range(0, len(ids), self.chunk):
            self.caller.call(self.name, {"ids": ids[start : start + self.chunk]}, countdown=delay or None)
