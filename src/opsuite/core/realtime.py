"""Live hub: topics broadcast to WebSocket clients, each with its own bounded drop-oldest queue.

A frame is encoded once per publish and shared by every subscriber. `publish` is thread-safe, so the
device host's thread publishes while subscribers live on uvicorn's loop. `RedisHub` carries frames between
processes, so API workers that do not own the devices serve the WebSockets.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from collections import deque
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Generic, Protocol, TypeVar

import pydantic_core

from opsuite.core.clock import SYSTEM_CLOCK, Clock

T = TypeVar("T")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Frame:
    """One published message as compact JSON, shared by every subscriber."""

    text: str


def encode(payload: Any) -> Frame:
    """`payload` as a frame of compact JSON (datetimes, decimals, models and dataclasses included)."""
    return Frame(pydantic_core.to_json(payload).decode())


class SubscriptionClosed(Exception):
    """`get` on a closed subscription with nothing left in it."""


class _DropOldestQueue(Generic[T]):
    """A bounded queue read on one loop and filled from any thread; when full, the oldest item goes."""

    def __init__(self, maxsize: int, loop: asyncio.AbstractEventLoop) -> None:
        if maxsize < 1:
            raise ValueError(f"maxsize must be at least 1, not {maxsize}")
        self.maxsize = maxsize
        self.dropped = 0
        self._items: deque[T] = deque()
        self._lock = threading.Lock()
        self._loop = loop
        self._waiter: asyncio.Future[None] | None = None
        self._closed = False

    def put(self, item: T, here: asyncio.AbstractEventLoop | None) -> None:
        """Add `item`, dropping the oldest when full; `here` is the caller's running loop, if any."""
        with self._lock:
            if self._closed:
                return
            if len(self._items) >= self.maxsize:
                self._items.popleft()
                self.dropped += 1
            self._items.append(item)
            waiter, self._waiter = self._waiter, None
        if waiter is None:
            return
        if here is self._loop:
            _wake(waiter)
        elif not _wake_on(self._loop, waiter):  # the reader's loop is closed: nobody reads this queue again
            self.close()

    async def get(self) -> T:
        """The oldest item, waiting for one; raises SubscriptionClosed once closed and empty."""
        while True:
            with self._lock:
                if self._items:
                    return self._items.popleft()
                if self._closed:
                    raise SubscriptionClosed
                waiter = self._waiter = self._loop.create_future()
            await waiter

    def close(self) -> None:
        """Take no more items; a reader gets what is left, then SubscriptionClosed."""
        with self._lock:
            self._closed = True
            waiter, self._waiter = self._waiter, None
        if waiter is not None:
            _wake_on(self._loop, waiter)


class Subscription(_DropOldestQueue[Frame]):
    """One client's frames of one topic; a slow client loses its own oldest frames, counted in `dropped`."""

    def __init__(self, hub: MemoryHub, topic: str, maxsize: int, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(maxsize, loop)
        self.topic = topic
        self._hub = hub

    def close(self) -> None:
        """Leave the topic; frames already queued can still be read."""
        super().close()
        self._hub._forget(self)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> Frame:
        try:
            return await self.get()
        except SubscriptionClosed:
            raise StopAsyncIteration from None


class Hub(Protocol):
    """What publishers and WebSocket routes use; `build_hub` picks the backend."""

    def subscribe(self, topic: str, *, maxsize: int = 16) -> Subscription:
        """A subscription to `topic` on the running loop."""
        ...

    def publish(self, topic: str, payload: Any) -> Frame:
        """Broadcast `payload` to `topic`; callable from any thread."""
        ...

    async def start(self) -> None:
        """Start delivering."""
        ...

    async def stop(self) -> None:
        """Stop delivering and close every subscription."""
        ...


class MemoryHub:
    """In-process fan-out."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._topics: dict[str, set[Subscription]] = {}

    def subscribe(self, topic: str, *, maxsize: int = 16) -> Subscription:
        """A subscription to `topic`, read on the running loop."""
        subscription = Subscription(self, topic, maxsize, asyncio.get_running_loop())
        with self._lock:
            self._topics.setdefault(topic, set()).add(subscription)
        return subscription

    def publish(self, topic: str, payload: Any) -> Frame:
        """Encode `payload` once and queue it for every subscriber of `topic`; callable from any thread."""
        frame = encode(payload)
        self.deliver(topic, frame)
        return frame

    def deliver(self, topic: str, frame: Frame) -> None:
        """Queue an encoded frame for every subscriber of `topic`."""
        with self._lock:
            subscriptions = list(self._topics.get(topic, ()))
        here = _running_loop()
        for subscription in subscriptions:
            subscription.put(frame, here)

    async def start(self) -> None:
        """Nothing to start in process."""

    async def stop(self) -> None:
        """Close every subscription, so that the routes reading them end."""
        with self._lock:
            subscriptions = [s for topic in self._topics.values() for s in topic]
            self._topics.clear()
        for subscription in subscriptions:
            subscription.close()

    def _forget(self, subscription: Subscription) -> None:
        with self._lock:
            subscribers = self._topics.get(subscription.topic)
            if subscribers is not None:
                subscribers.discard(subscription)
                if not subscribers:
                    del self._topics[subscription.topic]


class RedisHub:
    """Frames through Redis pub/sub: every process's local subscribers get what any process publishes.

    `publish` queues the frame for a sender task on the hub's loop, so a device thread never waits on
    Redis; while Redis is away that queue drops its oldest frames (a late live frame is worth nothing).
    """

    def __init__(
        self,
        url: str,
        *,
        channel_prefix: str = "opsuite:live:",
        outbox_size: int = 1024,
        connect_timeout: float = 5.0,
        stop_timeout: float = 5.0,
        retry_seconds: float = 1.0,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.url = url
        self.channel_prefix = channel_prefix
        self.outbox_size = outbox_size
        self.connect_timeout = connect_timeout
        self.stop_timeout = stop_timeout
        self.retry_seconds = retry_seconds
        self.clock = clock
        self._local = MemoryHub()
        self._outbox: _DropOldestQueue[tuple[str, str]] | None = None
        self._client: Any = None
        self._pubsub: Any = None
        self._tasks: list[asyncio.Task[None]] = []

    def subscribe(self, topic: str, *, maxsize: int = 16) -> Subscription:
        """A subscription to `topic`, read on the running loop."""
        return self._local.subscribe(topic, maxsize=maxsize)

    def publish(self, topic: str, payload: Any) -> Frame:
        """Encode `payload` once and queue it for Redis; callable from any thread; dropped unless started."""
        frame = encode(payload)
        outbox = self._outbox
        if outbox is not None:
            outbox.put((self.channel_prefix + topic, frame.text), _running_loop())
        return frame

    async def start(self) -> None:
        """Subscribe to every topic under the prefix (confirmed before returning) and start sending."""
        if self._client is not None:
            return
        import redis.asyncio  # only when Redis is configured

        client: Any = redis.asyncio.Redis.from_url(self.url, socket_connect_timeout=self.connect_timeout)
        pubsub: Any = client.pubsub()
        try:
            await pubsub.psubscribe(_glob_escape(self.channel_prefix) + "*")
            # Until Redis confirms, a frame another process publishes would not reach us.
            confirmed = await pubsub.get_message(timeout=self.connect_timeout)
            if confirmed is None or confirmed["type"] != "psubscribe":
                raise ConnectionError(f"Redis did not confirm the subscription to {self.channel_prefix}*")
        except BaseException:
            await pubsub.aclose()
            await client.aclose()
            raise
        self._client, self._pubsub = client, pubsub
        self._outbox = _DropOldestQueue(self.outbox_size, asyncio.get_running_loop())
        self._tasks = [
            asyncio.create_task(self._send(client, self._outbox), name="live-hub:send"),
            asyncio.create_task(self._listen(pubsub), name="live-hub:listen"),
        ]

    async def stop(self) -> None:
        """Send what is queued (at most `stop_timeout`), stop listening, close every subscription."""
        outbox, client, pubsub = self._outbox, self._client, self._pubsub
        if outbox is None:
            return
        self._outbox = self._client = self._pubsub = None
        sender, listener = self._tasks
        outbox.close()
        await asyncio.wait([sender], timeout=self.stop_timeout)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(sender, listener, return_exceptions=True)
        await self._local.stop()
        await pubsub.aclose()
        await client.aclose()

    async def _send(self, client: Any, outbox: _DropOldestQueue[tuple[str, str]]) -> None:
        failing = False
        while True:
            try:
                channel, text = await outbox.get()
            except SubscriptionClosed:
                return
            try:
                await client.publish(channel, text)
            except Exception as error:
                if not failing:  # once per outage, not once per frame
                    log.warning("live hub cannot publish to Redis (%s); dropping frames until it can", error)
                failing = True
            else:
                if failing:
                    log.info("live hub publishes to Redis again")
                failing = False

    async def _listen(self, pubsub: Any) -> None:
        start = len(self.channel_prefix)
        while True:
            try:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=None)
            except Exception as error:  # the client reconnects and subscribes again on the next read
                log.warning("live hub lost Redis (%s); retrying in %gs", error, self.retry_seconds)
                await self.clock.sleep(self.retry_seconds)
                continue
            if message is not None and message["type"] == "pmessage":
                topic = message["channel"][start:].decode()
                self._local.deliver(topic, Frame(message["data"].decode()))


def build_hub(redis_url: str | None, *, channel_prefix: str) -> Hub:
    """Redis when a URL is set (several processes), in-process fan-out otherwise."""
    if redis_url:
        return RedisHub(redis_url, channel_prefix=channel_prefix)
    return MemoryHub()


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _wake(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


def _wake_on(loop: asyncio.AbstractEventLoop, waiter: asyncio.Future[None]) -> bool:
    try:
        loop.call_soon_threadsafe(_wake, waiter)
    except RuntimeError:  # that loop is closed
        return False
    return True


def _glob_escape(text: str) -> str:
    return re.sub(r"([*?\[\]\\])", r"\\\1", text)
