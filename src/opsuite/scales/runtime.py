"""What scales operations need at hand: database, settings, cipher, scale factory, device host, clock."""

from __future__ import annotations

import atexit
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.core.db import Database
from opsuite.core.devices import DeviceHost
from opsuite.core.jobs import JobQueue
from opsuite.core.runtime import Runtime as CoreRuntime
from opsuite.scales.crypto import DeviceCipher
from opsuite.scales.devices.interface import ScaleFactory
from opsuite.scales.jobs.models import Job
from opsuite.scales.settings import ScalesSettings


@dataclass(kw_only=True)
class Runtime(CoreRuntime):
    """The collaborators of one running scales system, shared by the API and its jobs."""

    settings: ScalesSettings
    cipher: DeviceCipher
    device_factory: ScaleFactory
    devices: DeviceHost
    """The loop thread every scale call runs on; whoever owns the process starts and stops it."""
    jobs: JobQueue[Job]
    """Where services enqueue background work; the app's or worker's runner attaches to it."""

    @property
    def zone(self) -> ZoneInfo:
        """The store's time zone."""
        return ZoneInfo(self.settings.timezone)


def build_runtime(
    settings: ScalesSettings,
    database: Database | None = None,
    device_factory: ScaleFactory | None = None,
    *,
    clock: Clock = SYSTEM_CLOCK,
) -> Runtime:
    """The runtime on `settings`, its device host not yet started; fails here when the device key is bad."""
    from opsuite.scales.devices.mertech import MertechScale

    return Runtime(
        settings=settings,
        database=database or Database(settings.db_url),
        cipher=DeviceCipher(settings.fernet_keys),
        device_factory=device_factory or MertechScale,
        jobs=JobQueue(Job),
        clock=clock,
        devices=DeviceHost(clock=clock, name="scales-devices"),
    )


def worker_runtime(settings: ScalesSettings) -> Runtime:
    """The runtime of a Celery worker or beat process, its device host started until the process exits."""
    runtime = build_runtime(settings)
    runtime.devices.start()
    # No lifespan in a worker: the process's own exit stops the host (Celery builds this once per process).
    atexit.register(runtime.devices.stop)
    return runtime
