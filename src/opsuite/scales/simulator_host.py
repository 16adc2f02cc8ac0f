"""The in-process scale simulator `opsuite serve` starts, so the demo device answers on any laptop."""

from __future__ import annotations

import logging

from opsuite.scales.devices.simulator import ScaleSimulator, start_simulators
from opsuite.scales.settings import ScalesSettings

log = logging.getLogger(__name__)


async def start_if_configured(settings: ScalesSettings) -> ScaleSimulator | None:
    """Start one simulator when the settings ask for it; a taken port is a warning, not a failure."""
    if not settings.simulator:
        return None
    try:
        [simulator] = await start_simulators(1, settings.simulator_port, host=settings.simulator_host)
    except OSError as exc:
        log.warning(
            "scale simulator not started on %s:%s (%s); is another one running?",
            settings.simulator_host,
            settings.simulator_port,
            exc,
        )
        return None
    log.info("scale simulator listening on %s:%s", settings.simulator_host, settings.simulator_port)
    return simulator
