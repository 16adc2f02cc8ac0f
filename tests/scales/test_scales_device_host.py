"""Scales runs its device calls on the core device host: one loop thread, bounded waits, owned by the lifespan."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.clock import FakeClock
from tests.scales.helpers import ALICE, Api, Scales, login

from opsuite.core.db import Database
from opsuite.scales.app import create_app
from opsuite.scales.devices.fake import FakeScale
from opsuite.scales.devices.interface import DeviceInfo
from opsuite.scales.runtime import Runtime, worker_runtime
from opsuite.scales.settings import ScalesSettings


class WhereScale(FakeScale):
    """A fake that notes the thread and the loop each call ran on."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[threading.Thread, asyncio.AbstractEventLoop]] = []

    async def device_info(self) -> DeviceInfo:
        self.seen.append((threading.current_thread(), asyncio.get_running_loop()))
        return await super().device_info()


class HungScale(FakeScale):
    """A fake whose device-info never answers; it notes when the host cancels the call."""

    def __init__(self) -> None:
        super().__init__()
        self.cancelled = threading.Event()

    async def device_info(self) -> DeviceInfo:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            self.cancelled.set()
            raise
        raise AssertionError("unreachable")


def _runtime(app: Any) -> Runtime:
    runtime: Runtime = app.state.runtime
    return runtime


def test_calls_run_on_the_one_host_loop_thread(app: Any, client: TestClient, scales: Scales) -> None:
    where = WhereScale()
    scales.fakes[1111] = where
    alice = Api(client, login(client, *ALICE))
    alice.add_device()
    host = _runtime(app).devices
    assert [alice.post("/devices/1/test").status_code for _ in range(2)] == [200, 200]
    assert len(where.seen) == 2
    assert where.seen[0] == where.seen[1]
    thread, loop = where.seen[0]
    assert (thread.name, loop) == ("scales-devices", host.loop)
    assert thread is not threading.current_thread()


def test_call_overrunning_its_bound_is_504_and_cancelled(
    settings: ScalesSettings, database: Database, scales: Scales, clock: FakeClock
) -> None:
    # The host's bound is deadline + timeout of real time: kept short, so the request returns at once.
    settings.scale_timeout = 0.05
    settings.scale_deadline = 0.1
    hung = HungScale()
    scales.fakes[1111] = hung
    with TestClient(create_app(settings, database, scales.factory, clock=clock)) as client:
        alice = Api(client, login(client, *ALICE))
        alice.add_device()
        response = alice.post("/devices/1/test")
        assert (response.status_code, response.json()) == (
            504,
            {"detail": "Весы 127.0.0.1:1111 не ответили вовремя"},
        )
        assert hung.cancelled.wait(10)
        assert alice.get("/devices/1/log").json()[0]["http_status"] == 504
        assert alice.post("/devices/1/test").status_code == 504  # the lock was released


def test_lifespan_starts_and_stops_the_host(app: Any) -> None:
    host = _runtime(app).devices
    assert host.running is False
    with TestClient(app):
        assert host.running is True
    assert host.running is False


@pytest.fixture
def worker(settings: ScalesSettings) -> Iterator[Runtime]:
    runtime = worker_runtime(settings)
    yield runtime
    runtime.devices.stop()
    runtime.database.dispose()


def test_worker_runtime_has_a_started_host(worker: Runtime) -> None:
    async def where() -> str:
        return threading.current_thread().name

    assert worker.devices.running is True
    assert worker.devices.call(where, timeout=10) == "scales-devices"
