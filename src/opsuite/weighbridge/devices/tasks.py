"""Long-lived device tasks for core's device host: each reports to its context and raises to be restarted."""

from __future__ import annotations

from collections.abc import Callable

from opsuite.weighbridge.devices.interface import (
    DeviceReporter,
    DeviceTask,
    DeviceUnavailable,
    Indicator,
    IOModule,
    IOSnapshot,
    WeightReading,
)


def indicator_task(indicator: Indicator, publish: Callable[[WeightReading], None]) -> DeviceTask:
    """Publish every reading; a failure or an ended stream raises, so the host restarts the task."""

    async def run(ctx: DeviceReporter) -> None:
        async for reading in indicator.readings():
            ctx.frame()
            publish(reading)
        raise DeviceUnavailable("the indicator stream ended")

    return run


def io_task(io: IOModule, publish: Callable[[IOSnapshot], None], *, interval: float = 0.2) -> DeviceTask:
    """Poll sensors and gates every `interval` s on the host clock; a failure closes the link and raises."""

    async def run(ctx: DeviceReporter) -> None:
        try:
            while True:
                sensors = await io.read_sensors()
                gates = await io.read_gates()
                ctx.frame()
                publish(IOSnapshot(sensors=sensors, gates=gates, at=ctx.clock.now()))
                await ctx.clock.sleep(interval)
        finally:
            # A fresh connection on restart: a half-dead TCP link is not reused.
            await io.close()

    return run
