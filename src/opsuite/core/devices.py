"""Device host: one asyncio loop thread per process owning long-lived device tasks.

A failed task is restarted with backoff, each device reports its health, and sync endpoints run a
coroutine on the host loop with a bounded wait.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from opsuite.core.clock import SYSTEM_CLOCK, Clock

T = TypeVar("T")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeviceHealth:
    """One device's state as status routes report it."""

    name: str
    connected: bool
    last_frame_at: datetime | None
    last_error: str | None
    since: datetime
    restarts: int


class DeviceTimeout(TimeoutError):
    """A bounded call on the device host overran its bound."""


class DeviceHostStopped(RuntimeError):
    """A call on a device host that is not running."""


def describe_error(error: BaseException | str) -> str:
    """`ExcType: message` for an exception, the text itself for a string."""
    return error if isinstance(error, str) else f"{type(error).__name__}: {error}"


class DeviceContext:
    """What a device task reports through: connected, frames, failures. Thread-safe."""

    def __init__(self, name: str, clock: Clock) -> None:
        self.name = name
        self.clock = clock
        self._lock = threading.Lock()
        self._connected = False
        self._last_frame_at: datetime | None = None
        self._last_error: str | None = None
        self._since = clock.now()
        self._restarts = 0
        self._healthy = False

    def connected(self) -> None:
        """The device answered."""
        with self._lock:
            self._set_connected(True)
            self._last_error = None
            self._healthy = True

    def frame(self) -> None:
        """A frame arrived (so the device is connected)."""
        with self._lock:
            self._last_frame_at = self.clock.now()
            self._set_connected(True)
            self._last_error = None
            self._healthy = True

    def failed(self, error: BaseException | str) -> None:
        """The device stopped answering, or its task failed."""
        with self._lock:
            self._set_connected(False)
            self._last_error = describe_error(error)

    def health(self) -> DeviceHealth:
        """A snapshot of this device's state."""
        with self._lock:
            return DeviceHealth(
                self.name, self._connected, self._last_frame_at, self._last_error, self._since, self._restarts
            )

    def _set_connected(self, connected: bool) -> None:
        if connected != self._connected:
            self._connected = connected
            self._since = self.clock.now()

    def _begin_run(self) -> None:
        with self._lock:
            self._healthy = False

    def _ran_healthy(self) -> bool:
        with self._lock:
            return self._healthy

    def _restarted(self) -> None:
        with self._lock:
            self._restarts += 1


DeviceTask = Callable[[DeviceContext], Awaitable[None]]


class DeviceHost:
    """One asyncio loop in a daemon thread that owns this process's device tasks."""

    def __init__(
        self,
        *,
        clock: Clock = SYSTEM_CLOCK,
        name: str = "devices",
        backoff_initial: float = 0.5,
        backoff_max: float = 30.0,
        stop_timeout: float = 5.0,
    ) -> None:
        self.clock = clock
        self.name = name
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.stop_timeout = stop_timeout
        self._lock = threading.Lock()
        self._devices: dict[str, tuple[DeviceContext, DeviceTask]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        """Whether the host loop runs."""
        return self._loop is not None

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The host loop, for code that must schedule on it."""
        loop = self._loop
        if loop is None:
            raise DeviceHostStopped(f"device host {self.name!r} is not running")
        return loop

    def start(self) -> None:
        """Start the loop thread and every device added so far; does nothing when running."""
        with self._lock:
            if self._loop is not None:
                return
            loop = asyncio.new_event_loop()
            ready = threading.Event()
            thread = threading.Thread(target=_run_loop, args=(loop, ready), name=self.name, daemon=True)
            thread.start()
            ready.wait()
            self._loop, self._thread = loop, thread
            for name in self._devices:
                loop.call_soon_threadsafe(self._launch, name)

    def stop(self) -> None:
        """Cancel every task, wait for them (at most `stop_timeout`), stop the loop and join its thread."""
        with self._lock:
            loop, thread = self._loop, self._thread
            if loop is None or thread is None:
                return
            if threading.current_thread() is thread:
                raise RuntimeError("DeviceHost.stop() called from the host's own loop thread")
            self._loop = self._thread = None
        asyncio.run_coroutine_threadsafe(self._cancel_all(), loop).result()
        loop.call_soon_threadsafe(loop.stop)
        thread.join()

    def add(self, name: str, task: DeviceTask) -> None:
        """Run `task(ctx)` on the host for as long as it runs, restarting it with backoff when it fails."""
        with self._lock:
            if name in self._devices:
                raise ValueError(f"device {name!r} is already on host {self.name!r}")
            self._devices[name] = (DeviceContext(name, self.clock), task)
            if self._loop is not None:
                self._loop.call_soon_threadsafe(self._launch, name)

    def health(self) -> list[DeviceHealth]:
        """Every device's state, sorted by name."""
        with self._lock:
            contexts = [context for context, _ in self._devices.values()]
        return sorted((context.health() for context in contexts), key=lambda health: health.name)

    def call(self, factory: Callable[[], Awaitable[T]], *, timeout: float, what: str = "device call") -> T:
        """Run `factory()` on the host loop from another thread; wait at most `timeout` seconds."""
        future = self._submit(factory)
        done, _ = concurrent.futures.wait([future], timeout=timeout)
        if not done:
            future.cancel()
            raise DeviceTimeout(f"{what} did not finish within {timeout:g}s")
        return _outcome(future, what)

    async def run(
        self, factory: Callable[[], Awaitable[T]], *, timeout: float, what: str = "device call"
    ) -> T:
        """`call` for async code on another loop: waits without blocking that loop."""
        future = self._submit(factory)
        waited = asyncio.wrap_future(future)
        try:
            done, _ = await asyncio.wait([waited], timeout=timeout)
        except asyncio.CancelledError:  # our caller gave up: the host must not keep working for nobody
            future.cancel()
            raise
        if not done:
            future.cancel()
            raise DeviceTimeout(f"{what} did not finish within {timeout:g}s")
        if waited.cancelled():
            raise DeviceHostStopped(f"{what} was cancelled: the device host stopped")
        return waited.result()  # read from the awaited future, so a device error is never left unretrieved

    def _submit(self, factory: Callable[[], Awaitable[T]]) -> concurrent.futures.Future[T]:
        async def invoke() -> T:
            return await factory()

        with self._lock:
            if self._loop is None:
                raise DeviceHostStopped(f"device host {self.name!r} is not running")
            if threading.current_thread() is self._thread:
                raise RuntimeError("a bounded device call from the host's own loop thread would deadlock it")
            return asyncio.run_coroutine_threadsafe(invoke(), self._loop)

    def _launch(self, name: str) -> None:
        context, task = self._devices[name]
        asyncio.get_running_loop().create_task(self._supervise(context, task), name=f"device:{name}")

    async def _supervise(self, context: DeviceContext, task: DeviceTask) -> None:
        delay = self.backoff_initial
        while True:
            context._begin_run()
            try:
                await task(context)
                return
            except Exception as error:
                context.failed(error)
                if context._ran_healthy():
                    delay = self.backoff_initial
                log.warning(
                    "device %s failed (%s); restarting in %gs", context.name, describe_error(error), delay
                )
            await self.clock.sleep(delay)
            delay = min(delay * 2, self.backoff_max)
            context._restarted()

    async def _cancel_all(self) -> None:
        current = asyncio.current_task()
        tasks = [task for task in asyncio.all_tasks() if task is not current]
        for task in tasks:
            task.cancel()
        if not tasks:
            return
        _, pending = await asyncio.wait(tasks, timeout=self.stop_timeout)
        for task in pending:
            log.warning("%s did not stop within %gs of being cancelled", task.get_name(), self.stop_timeout)


def _run_loop(loop: asyncio.AbstractEventLoop, ready: threading.Event) -> None:
    asyncio.set_event_loop(loop)
    loop.call_soon(ready.set)
    try:
        loop.run_forever()
        loop.run_until_complete(loop.shutdown_asyncgens())
    finally:
        loop.close()


def _outcome(future: concurrent.futures.Future[T], what: str) -> T:
    if future.cancelled():
        raise DeviceHostStopped(f"{what} was cancelled: the device host stopped")
    return future.result()
