"""The serial indicator reader against the TCP indicator simulator, through pyserial's socket:// URL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from opsuite.weighbridge.devices.fake import FakeIndicator
from opsuite.weighbridge.devices.frames.formats import FrameFormat, parser_for
from opsuite.weighbridge.devices.indicator import SerialIndicator, StabilityWindow
from opsuite.weighbridge.devices.interface import (
    DeviceTimedOut,
    DeviceUnavailable,
    Indicator,
    WeightReading,
)
from opsuite.weighbridge.devices.simulators.indicator import IndicatorSimulator
from opsuite.weighbridge.devices.tasks import indicator_task
from tests.clock import DEFAULT_START, FakeClock

from .conftest import Run
from .helpers import RecordingReporter, advance_until_done, first, until


async def with_simulator(
    frame_format: FrameFormat,
    scenario: Callable[[IndicatorSimulator], Awaitable[None]],
    *,
    decimals: int = 0,
) -> None:
    simulator = IndicatorSimulator(frame_format, decimals=decimals, interval=0.01)
    await simulator.start()
    try:
        await scenario(simulator)
    finally:
        await simulator.stop()


def reader(
    simulator: IndicatorSimulator, frame_format: FrameFormat, clock: FakeClock, *, frame_timeout: float = 2.0
) -> SerialIndicator:
    return SerialIndicator(
        simulator.url, parser_for(frame_format), read_timeout=0.05, frame_timeout=frame_timeout, clock=clock
    )


async def next_weight(stream: AsyncIterator[WeightReading], kg: float) -> WeightReading:
    """Skip the frames still in flight from before a change, up to the first showing `kg`."""
    async for reading in stream:
        if reading.kg == kg:
            return reading
    raise AssertionError("the stream ended")


def test_driver_and_fake_satisfy_the_interface() -> None:
    assert isinstance(SerialIndicator("socket://127.0.0.1:1", parser_for("yaohua")), Indicator)
    assert isinstance(FakeIndicator(), Indicator)


@pytest.mark.parametrize("frame_format", ["toledo", "toledo_checksum", "cas"])
def test_flagged_formats_carry_weight_and_stability(run: Run, frame_format: FrameFormat) -> None:
    clock = FakeClock()

    async def scenario(simulator: IndicatorSimulator) -> None:
        simulator.set(24500.5, stable=True)
        indicator = reader(simulator, frame_format, clock)
        stream = indicator.readings()
        assert await first(stream) == [WeightReading(kg=24500.5, stable=True, at=DEFAULT_START)]
        simulator.set(12000.0, stable=False)
        assert await next_weight(stream, 12000.0) == WeightReading(kg=12000.0, stable=False, at=DEFAULT_START)
        assert indicator.latest() == WeightReading(kg=12000.0, stable=False, at=DEFAULT_START)
        await stream.aclose()

    run(with_simulator(frame_format, scenario, decimals=1))


def test_unflagged_format_is_stable_once_the_window_spans_its_duration(run: Run) -> None:
    clock = FakeClock()

    async def scenario(simulator: IndicatorSimulator) -> None:
        simulator.set(24500.0)
        window = StabilityWindow(tolerance_kg=20.0, duration_s=2.0)
        indicator = SerialIndicator(
            simulator.url,
            parser_for("yaohua"),
            read_timeout=0.05,
            frame_timeout=60.0,
            window=window,
            clock=clock,
        )
        stream = indicator.readings()
        assert await first(stream, 2) == [WeightReading(kg=24500.0, stable=False, at=DEFAULT_START)] * 2
        moment = clock.advance(seconds=2)
        assert await first(stream) == [WeightReading(kg=24500.0, stable=True, at=moment)]
        await stream.aclose()

    run(with_simulator("yaohua", scenario))


def test_noise_between_frames_is_skipped(run: Run) -> None:
    async def scenario(simulator: IndicatorSimulator) -> None:
        simulator.set(-40.0)
        simulator.fault = "noise"
        stream = reader(simulator, "yaohua_equals", FakeClock()).readings()
        assert [reading.kg for reading in await first(stream, 5)] == [-40.0] * 5
        await stream.aclose()

    run(with_simulator("yaohua_equals", scenario))


def test_injected_split_frames_parse_and_bad_ones_do_not(run: Run) -> None:
    async def scenario(simulator: IndicatorSimulator) -> None:
        simulator.fault = "silent"
        stream = reader(simulator, "regex", FakeClock(), frame_timeout=60.0).readings()
        pending = asyncio.ensure_future(anext(stream))
        await until(lambda: simulator.clients == 1)
        simulator.inject(b"\t+01234")
        simulator.inject(b"\t+0000100\x12\x0d")  # breaks the half frame; this one is whole
        assert (await pending).kg == 10.0
        simulator.inject(b"\t+00x0100\x12\r\t-0002005\x12\r")
        assert (await anext(stream)).kg == -200.5
        await stream.aclose()

    run(with_simulator("regex", scenario))


def test_a_dropped_connection_is_a_device_error_not_a_hang(run: Run) -> None:
    async def scenario(simulator: IndicatorSimulator) -> None:
        simulator.set(24500.0)
        stream = reader(simulator, "yaohua", FakeClock()).readings()
        await first(stream)
        await simulator.drop_clients()
        with pytest.raises(DeviceUnavailable, match="socket disconnected"):
            async for _ in stream:
                pass

    run(with_simulator("yaohua", scenario))


def test_silence_longer_than_the_frame_timeout_is_a_timeout(run: Run) -> None:
    clock = FakeClock()

    async def scenario(simulator: IndicatorSimulator) -> None:
        simulator.set(24500.0)
        stream = reader(simulator, "yaohua", clock, frame_timeout=2.0).readings()
        await first(stream)
        simulator.fault = "silent"

        async def drain() -> None:
            async for _ in stream:
                pass

        consumer = asyncio.ensure_future(drain())
        await advance_until_done(clock, consumer)
        with pytest.raises(DeviceTimedOut, match=r"no valid frame from socket://127\.0\.0\.1:\d+ for 2\.0 s"):
            consumer.result()

    run(with_simulator("yaohua", scenario))


def test_a_loop_url_opens_and_a_silent_line_times_out(run: Run) -> None:
    clock = FakeClock()

    async def scenario() -> None:
        indicator = SerialIndicator(
            "loop://", parser_for("yaohua"), read_timeout=0.02, frame_timeout=1.0, clock=clock
        )
        pending = asyncio.ensure_future(anext(indicator.readings()))
        await advance_until_done(clock, pending)
        with pytest.raises(DeviceTimedOut, match=r"no valid frame from loop:// for 1\.0 s"):
            pending.result()

    run(scenario())


@pytest.mark.parametrize("url", ["socket://127.0.0.1:1", "/dev/ttyNOSUCHPORT", "nosuchscheme://x"])
def test_a_port_that_cannot_open_is_unavailable(run: Run, url: str) -> None:
    async def scenario() -> None:
        with pytest.raises(DeviceUnavailable, match=f"cannot open {url}"):
            await anext(SerialIndicator(url, parser_for("yaohua")).readings())

    run(scenario())


def test_indicator_task_over_the_simulator(run: Run) -> None:
    clock = FakeClock()
    published: list[WeightReading] = []

    async def scenario(simulator: IndicatorSimulator) -> None:
        simulator.set(7320.0, stable=True)
        task = asyncio.ensure_future(
            indicator_task(reader(simulator, "cas", clock), published.append)(RecordingReporter(clock))
        )
        await until(lambda: len(published) >= 3)
        await simulator.drop_clients()
        with pytest.raises(DeviceUnavailable):
            await task

    run(with_simulator("cas", scenario))
    assert published[:3] == [WeightReading(kg=7320.0, stable=True, at=DEFAULT_START)] * 3
