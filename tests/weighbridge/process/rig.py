"""A bridge on fake devices and a fake clock, driven from the test thread while the host loop runs it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from starlette.testclient import WebSocketTestSession

from opsuite.core.devices import DeviceHost
from opsuite.core.realtime import MemoryHub
from opsuite.weighbridge.config import BridgeConfig
from opsuite.weighbridge.devices.fake import FakeCamera, FakeIndicator, FakeIO
from opsuite.weighbridge.devices.interface import Camera, Indicator, IOModule
from opsuite.weighbridge.process.bridge import Bridge
from tests.clock import FakeClock

T = TypeVar("T")

LIMIT_S = 10.0
"""Not a timing assertion: a wedged host fails the test instead of stalling the suite."""


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run(coro)` in a thread of its own: the suite's Playwright keeps a loop in the main thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def eventually(predicate: Callable[[], bool]) -> None:
    """Wait (real time, bounded) until the host thread has made `predicate` true."""
    deadline = time.monotonic() + LIMIT_S
    while not predicate():
        assert time.monotonic() < deadline, "the bridge did not get there"
        time.sleep(0.002)


def leave(socket: WebSocketTestSession, hub: Any, topic: str) -> None:
    """Close a test socket and wait until its route let go of the feed.

    Starlette's TestClient cancels the route when its `with` block ends; a route still waiting on a quiet
    feed then ends cancelled and the client raises CancelledError. A real server has no such race.
    """
    socket.close(1000)
    local = getattr(hub, "_local", hub)  # a RedisHub's subscribers live in its in-process hub
    eventually(lambda: topic not in local._topics)


@dataclass
class FakeFactory:
    """Builds fakes and keeps each, so a test reaches the device the bridge is using."""

    clock: FakeClock
    indicators: dict[str, list[FakeIndicator]] = field(default_factory=dict)
    ios: list[FakeIO] = field(default_factory=list)
    cameras: dict[str, list[FakeCamera]] = field(default_factory=dict)

    def indicator(self, config: BridgeConfig, port: str) -> Indicator:
        made = FakeIndicator(clock=self.clock)
        self.indicators.setdefault(port, []).append(made)
        return made

    def io(self, config: BridgeConfig) -> IOModule:
        made = FakeIO()
        self.ios.append(made)
        return made

    def camera(self, config: BridgeConfig, address: str) -> Camera:
        made = FakeCamera()
        self.cameras.setdefault(address, []).append(made)
        return made


@dataclass
class Rig:
    """The bridge under test with its clock, host, hub and fakes."""

    clock: FakeClock
    host: DeviceHost
    hub: MemoryHub
    factory: FakeFactory
    bridge: Bridge

    @property
    def indicator(self) -> FakeIndicator:
        return self.factory.indicators[self.bridge.config.scale_port][-1]

    @property
    def io(self) -> FakeIO:
        return self.factory.ios[-1]

    def camera(self, camera_id: int) -> FakeCamera:
        return self.factory.cameras[self.bridge.config.camera_address(camera_id)][-1]

    def weigh(self, kg: float, *, stable: bool = True) -> None:
        """Put a reading on the fake line (on the host loop, where its queue lives) and see it arrive."""
        self.host.loop.call_soon_threadsafe(lambda: self.indicator.set(kg, stable=stable))
        eventually(lambda: self.bridge.frame()["current_weight"] == float(kg))

    def sensors(self, *active: bool) -> None:
        """Set the sensors and wait for a poll to bring them in."""
        self.io.sensors = tuple(active)
        self.tick(0.2)
        eventually(lambda: self.bridge.frame()["sensors_active"] == [int(a) for a in active])

    def tick(self, seconds: float) -> None:
        """Move the fake clock and wait until every task it woke is asleep again."""
        asleep = self.clock.sleepers
        self.clock.advance(seconds=seconds)
        eventually(lambda: self.clock.sleepers >= asleep)

    def frame(self) -> dict[str, Any]:
        return self.bridge.frame()


def build_rig(config: BridgeConfig | None = None) -> Rig:
    """A started host with the bridge installed on it."""
    clock = FakeClock()
    host = DeviceHost(clock=clock, name="bridge-test")
    hub = MemoryHub()
    factory = FakeFactory(clock)
    bridge = Bridge(config or BridgeConfig(), host=host, hub=hub, clock=clock, factory=factory)
    bridge.install()
    host.start()
    rig = Rig(clock, host, hub, factory, bridge)
    # The first poll and probes land, then the publisher has sent the status they make.
    eventually(lambda: bridge.status()["controller"] and bridge.status()["camera_1"])
    rig.tick(0.2)
    rig.tick(0.2)
    return rig
