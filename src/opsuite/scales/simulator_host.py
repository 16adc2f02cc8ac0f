"""The in-process scale simulator `opsuite serve` starts, so the demo device answers on any laptop."""

from __future__ import annotations

import logging

from opsuite.core.web import Part
from opsuite.scales.devices.simulator import ScaleSimulator, start_simulators
from opsuite.scales.settings import ScalesSettings

log = logging.getLogger(__name__)


def simulator_part(settings: ScalesSettings) -> Part:
    """Start and stop of the configured simulator; a taken port is a warning, not a failure."""
    running: list[ScaleSimulator] = []

    async def start() -> None:
        if not settings.simulator:
            return
        try:
            running.extend(await start_simulators(1, settings.simulator_port, host=settings.simulator_host))
        except OSError as exc:
            log.warning(
                "scale simulator not started on %s:%s (%s); is another one running?",
                settings.simulator_host,
                settings.simulator_port,
                exc,
            )
            return
        log.info("scale simulator listening on %s:%s", settings.simulator_host, settings.simulator_port)

    async def stop() -> None:
        while running:
            await running.pop().stop()

    return Part("scale simulator", start, stop)
