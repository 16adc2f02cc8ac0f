"""The device-host tasks over the fakes, with a recording reporter and the fake clock."""

from __future__ import annotations

import asyncio

import pytest

from opsuite.weighbridge.devices.fake import FakeIndicator, FakeIO
from opsuite.weighbridge.devices.interface import DeviceUnavailable, IOSnapshot, WeightReading
from opsuite.weighbridge.devices.tasks import indicator_task, io_task
from tests.clock import DEFAULT_START, FakeClock

from .conftest import Run
from .helpers import RecordingReporter, until


def test_indicator_task_publishes_and_reports_frames_then_raises_for_a_restart(run: Run) -> None:
    clock = FakeClock()
    indicator = FakeIndicator(clock=clock)
    published: list[WeightReading] = []
    reporter = RecordingReporter(clock)

    async def scenario() -> None:
        indicator.set(100.0, stable=False)
        indicator.set(24500.0)
        indicator.fail(DeviceUnavailable("port gone"))
        with pytest.raises(DeviceUnavailable, match="port gone"):
            await indicator_task(indicator, published.append)(reporter)

    run(scenario())
    assert published == [
        WeightReading(kg=100.0, stable=False, at=DEFAULT_START),
        WeightReading(kg=24500.0, stable=True, at=DEFAULT_START),
    ]
    assert reporter.events == ["frame", "frame"]
    assert indicator.latest() == published[-1]


def test_io_task_polls_on_the_host_clock_and_closes_the_link_on_failure(run: Run) -> None:
    clock = FakeClock()
    io = FakeIO()
    published: list[IOSnapshot] = []
    reporter = RecordingReporter(clock)

    async def scenario() -> None:
        task = asyncio.ensure_future(io_task(io, published.append, interval=0.2)(reporter))
        await until(lambda: clock.sleepers > 0)
        io.sensors = (False, True, False)
        await io.set_gate(2, True)
        moment = clock.advance(seconds=0.2)
        await until(lambda: len(published) >= 2)
        assert published[1] == IOSnapshot(
            sensors=(False, True, False), gates={1: False, 2: True, 3: False, 4: False}, at=moment
        )
        io.error = DeviceUnavailable("module down")
        clock.advance(seconds=0.2)
        with pytest.raises(DeviceUnavailable, match="module down"):
            await task

    run(scenario())
    assert published[0] == IOSnapshot(
        sensors=(False, False, False), gates=dict.fromkeys((1, 2, 3, 4), False), at=DEFAULT_START
    )
    assert len(published) == 2
    assert reporter.events == ["frame", "frame"]
    assert io.closed == 1
