"""A device the bridge can replace while the host runs its task: new settings reconnect without a restart."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

from opsuite.weighbridge.devices.interface import DeviceReporter

D = TypeVar("D")

_RECANCEL_S = 0.5

Work = Callable[[D, DeviceReporter], Awaitable[None]]
"""What the host task does with the current device; it raises to be restarted with backoff."""


class Slot(Generic[D]):
    """The current device (None: not configured); `swap` makes its running task start anew."""

    def __init__(self, device: D | None) -> None:
        self._lock = threading.Lock()
        self._device = device
        self._wake: tuple[asyncio.AbstractEventLoop, asyncio.Event] | None = None

    @property
    def device(self) -> D | None:
        """The current device."""
        with self._lock:
            return self._device

    def swap(self, device: D | None) -> None:
        """Replace the device from any thread; the task drops the old one and runs the new one."""
        with self._lock:
            self._device = device
            wake = self._wake
        if wake is not None:
            loop, changed = wake
            # A closed host loop runs the old device no more: nothing to wake.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(changed.set)

    def task(self, work: Work[D]) -> Callable[[DeviceReporter], Awaitable[None]]:
        """The host task: `work(device, ctx)` on the current device, started over on each swap."""

        async def run(ctx: DeviceReporter) -> None:
            while True:
                changed = asyncio.Event()
                with self._lock:
                    self._wake = (asyncio.get_running_loop(), changed)
                    device = self._device
                if device is None:
                    await changed.wait()
                    continue
                working = asyncio.ensure_future(work(device, ctx))
                waiting = asyncio.ensure_future(changed.wait())
                try:
                    await asyncio.wait({working, waiting}, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    await _stop(working, waiting)
                if working.done() and not working.cancelled() and not changed.is_set():
                    working.result()  # raises the device's failure, for the host's backoff
                    return

        return run


async def _stop(*tasks: asyncio.Future[Any]) -> None:
    """Cancel `tasks` and wait until they end, cancelling again any that swallowed the cancellation.

    On Python 3.11 `asyncio.wait_for` drops a cancellation that arrives as its awaited call completes
    (the indicator's port opening, say); cancelling once more ends such a task on its next await.
    """
    while pending := [task for task in tasks if not task.done()]:
        for task in pending:
            task.cancel()
        await asyncio.wait(pending, timeout=_RECANCEL_S)
