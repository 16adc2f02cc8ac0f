"""The device host: restarts with backoff on the fake clock, bounded calls, health, shutdown."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
from tests.clock import DEFAULT_START, FakeClock

from opsuite.core.devices import (
    DeviceContext,
    DeviceHealth,
    DeviceHost,
    DeviceHostStopped,
    DeviceTask,
    DeviceTimeout,
)

# Far above what any step needs: a broken host fails the test instead of hanging the suite.
LIMIT = 10.0


def eventually(predicate: Callable[[], bool]) -> None:
    """Wait until the host thread has made `predicate` true."""
    deadline = time.monotonic() + LIMIT
    while not predicate():
        assert time.monotonic() < deadline, "the device host did not get there"
        time.sleep(0.001)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def host(clock: FakeClock) -> Iterator[DeviceHost]:
    host = DeviceHost(clock=clock, name="devices-test")
    host.start()
    yield host
    host.stop()


def at(seconds: float) -> datetime:
    return DEFAULT_START + timedelta(seconds=seconds)


def test_a_crashing_task_is_restarted_with_doubling_backoff(
    host: DeviceHost, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    attempts: list[int] = []

    async def flaky(ctx: DeviceContext) -> None:
        attempts.append(len(attempts) + 1)
        raise OSError(f"no answer {len(attempts)}")

    caplog.set_level(logging.WARNING, logger="opsuite.core.devices")
    host.add("indicator", flaky)
    eventually(lambda: clock.sleepers == 1)
    assert host.health() == [DeviceHealth("indicator", False, None, "OSError: no answer 1", at(0), 0)]

    clock.advance(seconds=0.5)  # the first wait is backoff_initial
    eventually(lambda: len(attempts) == 2 and clock.sleepers == 1)
    assert host.health() == [DeviceHealth("indicator", False, None, "OSError: no answer 2", at(0), 1)]

    clock.advance(seconds=0.5)  # the second wait is twice as long: not restarted yet
    assert (attempts, clock.sleepers) == ([1, 2], 1)
    clock.advance(seconds=0.5)
    eventually(lambda: len(attempts) == 3 and clock.sleepers == 1)
    assert host.health()[0].restarts == 2
    assert [r.getMessage() for r in caplog.records] == [
        "device indicator failed (OSError: no answer 1); restarting in 0.5s",
        "device indicator failed (OSError: no answer 2); restarting in 1s",
        "device indicator failed (OSError: no answer 3); restarting in 2s",
    ]


def test_backoff_is_capped_and_resets_after_a_healthy_run(clock: FakeClock) -> None:
    attempts: list[int] = []

    async def task(ctx: DeviceContext) -> None:
        attempts.append(len(attempts) + 1)
        if len(attempts) == 4:
            ctx.connected()  # this run answered before it failed
        raise ConnectionResetError("peer closed")

    host = DeviceHost(clock=clock, backoff_initial=0.5, backoff_max=1.5)
    host.add("io", task)
    host.start()
    try:
        for run, wait in [(1, 0.5), (2, 1.0), (3, 1.5), (4, 0.5), (5, 1.0)]:
            eventually(lambda: len(attempts) == run and clock.sleepers == 1)  # noqa: B023 (called at once)
            clock.advance(seconds=wait - 0.25)
            assert (len(attempts), clock.sleepers) == (run, 1)
            clock.advance(seconds=0.25)
        eventually(lambda: len(attempts) == 6)
    finally:
        host.stop()
    # Connected at 3.0 s, failed at once: `since` is the last change.
    health = host.health()[0]
    assert (health.connected, health.since, health.last_error, health.restarts) == (
        False,
        at(3.0),
        "ConnectionResetError: peer closed",
        5,
    )


def test_context_reports_frames_connection_and_failures_on_the_clock(clock: FakeClock) -> None:
    ctx = DeviceContext("scale", clock)
    assert ctx.health() == DeviceHealth("scale", False, None, None, at(0), 0)
    clock.advance(seconds=2)
    ctx.frame()
    assert ctx.health() == DeviceHealth("scale", True, at(2), None, at(2), 0)
    clock.advance(seconds=3)
    ctx.frame()
    assert ctx.health() == DeviceHealth("scale", True, at(5), None, at(2), 0)
    clock.advance(seconds=1)
    ctx.failed(TimeoutError("no frame in 1 s"))
    assert ctx.health() == DeviceHealth("scale", False, at(5), "TimeoutError: no frame in 1 s", at(6), 0)
    clock.advance(seconds=1)
    ctx.failed("cable unplugged")
    assert ctx.health() == DeviceHealth("scale", False, at(5), "cable unplugged", at(6), 0)
    clock.advance(seconds=1)
    ctx.connected()
    assert ctx.health() == DeviceHealth("scale", True, at(5), None, at(8), 0)


def test_health_is_sorted_by_name_and_names_are_unique(host: DeviceHost, clock: FakeClock) -> None:
    async def feed(ctx: DeviceContext) -> None:
        ctx.connected()
        while True:
            await ctx.clock.sleep(1)
            ctx.frame()

    host.add("scale", feed)
    host.add("camera", feed)
    eventually(lambda: clock.sleepers == 2)
    clock.advance(seconds=1)
    eventually(lambda: [h.last_frame_at for h in host.health()] == [at(1), at(1)])
    assert host.health() == [
        DeviceHealth("camera", True, at(1), None, at(0), 0),
        DeviceHealth("scale", True, at(1), None, at(0), 0),
    ]
    with pytest.raises(ValueError, match=r"^device 'scale' is already on host 'devices-test'$"):
        host.add("scale", feed)


def test_call_returns_on_the_host_thread_and_reraises_the_exception_itself(host: DeviceHost) -> None:
    async def where() -> str:
        return threading.current_thread().name

    assert host.call(where, timeout=LIMIT) == "devices-test"
    error = ValueError("bad frame")

    async def fail() -> None:
        raise error

    with pytest.raises(ValueError, match=r"^bad frame$") as raised:
        host.call(fail, timeout=LIMIT)
    assert raised.value is error


def test_a_call_that_overruns_its_bound_times_out_and_is_cancelled(host: DeviceHost) -> None:
    cancelled = threading.Event()

    async def hang() -> None:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.set()
            raise

    with pytest.raises(DeviceTimeout, match=r"^read weight did not finish within 0.05s$"):
        host.call(hang, timeout=0.05, what="read weight")
    assert cancelled.wait(LIMIT)


def test_call_from_the_host_loop_is_refused_rather_than_deadlocked(host: DeviceHost) -> None:
    async def nested() -> int:
        return host.call(nested, timeout=LIMIT)

    with pytest.raises(RuntimeError, match=r"would deadlock"):
        host.call(nested, timeout=LIMIT)


def test_run_awaits_from_another_loop_without_blocking_it(host: DeviceHost, clock: FakeClock) -> None:
    async def weigh() -> int:
        await clock.sleep(1)  # finishes only once the caller's loop has advanced the clock
        return 4200

    async def advance_when_waiting() -> None:
        while clock.sleepers == 0:
            await asyncio.sleep(0.001)
        clock.advance(seconds=1)

    async def scenario() -> list[object]:
        return list(await asyncio.gather(host.run(weigh, timeout=LIMIT), advance_when_waiting()))

    assert asyncio.run(scenario()) == [4200, None]

    cancelled = threading.Event()

    async def hang() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            cancelled.set()

    with pytest.raises(DeviceTimeout, match=r"^snapshot did not finish within 0.05s$"):
        asyncio.run(host.run(hang, timeout=0.05, what="snapshot"))
    assert cancelled.wait(LIMIT)


def test_stop_cancels_every_task_and_ends_the_thread(clock: FakeClock) -> None:
    host = DeviceHost(clock=clock, name="devices-stop")
    finished: list[str] = []
    started = threading.Event()

    def forever(name: str) -> DeviceTask:
        async def task(ctx: DeviceContext) -> None:
            try:
                await asyncio.Event().wait()
            finally:
                finished.append(name)

        return task

    async def hang() -> None:
        started.set()
        await asyncio.Event().wait()

    host.add("before-start", forever("before-start"))
    host.start()
    host.start()
    host.add("after-start", forever("after-start"))
    outcome: list[BaseException] = []

    def pending_call() -> None:
        try:
            host.call(hang, timeout=LIMIT, what="pending call")
        except BaseException as error:
            outcome.append(error)

    caller = threading.Thread(target=pending_call)
    caller.start()
    assert started.wait(LIMIT)
    host.stop()
    caller.join(LIMIT)

    assert sorted(finished) == ["after-start", "before-start"]
    assert [type(error) for error in outcome] == [DeviceHostStopped]
    assert str(outcome[0]) == "pending call was cancelled: the device host stopped"
    assert not host.running
    assert "devices-stop" not in [thread.name for thread in threading.enumerate()]
    host.stop()  # idempotent
    with pytest.raises(DeviceHostStopped, match=r"^device host 'devices-stop' is not running$"):
        host.call(hang, timeout=LIMIT)
    with pytest.raises(DeviceHostStopped, match=r"^device host 'devices-stop' is not running$"):
        _ = host.loop
