"""The bridge on the real drivers against the simulated site over sockets on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from opsuite.core.clock import SYSTEM_CLOCK
from opsuite.core.devices import DeviceHost
from opsuite.core.realtime import MemoryHub
from opsuite.weighbridge.config import BridgeConfig
from opsuite.weighbridge.devices.simulators.camera import SAMPLE_JPEG
from opsuite.weighbridge.process.bridge import Bridge
from opsuite.weighbridge.process.errors import HardwareUnavailable
from opsuite.weighbridge.process.site_devices import SiteDevices
from opsuite.weighbridge.simulation.site import SimulatedSite
from tests.weighbridge.process.rig import eventually

ANY_PORTS = {"indicator": 0, "modbus": 0, "camera_in": 0, "camera_out": 0}


@dataclass
class Live:
    host: DeviceHost
    site: SimulatedSite
    bridge: Bridge


@pytest.fixture
def live() -> Iterator[Live]:
    host = DeviceHost(clock=SYSTEM_CLOCK, name="bridge-live", backoff_initial=0.05, backoff_max=0.2)
    host.start()
    site = SimulatedSite(ports=dict(ANY_PORTS))
    host.call(site.start, timeout=10)
    config = site.retarget(BridgeConfig().merged({"stable_duration_s": 0.3, "gate_close_timeout": 0}))
    bridge = Bridge(config, host=host, hub=MemoryHub(), clock=SYSTEM_CLOCK, factory=SiteDevices(SYSTEM_CLOCK))
    bridge.install()
    try:
        yield Live(host, site, bridge)
    finally:
        host.call(site.stop, timeout=10)
        host.stop()


def test_the_simulated_site_points_the_bridge_at_itself(live: Live) -> None:
    config = live.bridge.config
    assert config.scale_port == f"socket://127.0.0.1:{live.site.indicator.port}"
    assert config.io_port == live.site.modbus.port
    assert config.camera_out_ip == f"127.0.0.1:{live.site.cameras[2].port}"


def test_a_two_gate_weighing_on_the_simulators(live: Live) -> None:
    site, bridge = live.site, live.bridge
    healthy = {
        "controller": True,
        "gate_1": False,
        "gate_2": False,
        "sensor_1": False,
        "scale_connection": True,
        "camera_1": True,
        "camera_2": True,
    }
    eventually(lambda: bridge.status() == healthy)
    bridge.start(1, "01A777AA")
    eventually(lambda: site.modbus.coils[:4] == [True, False, False, False])
    eventually(lambda: bridge.frame()["gate_1_open"] is True)
    site.truck_on(24500)
    eventually(lambda: bridge.frame()["scale_status"] == "CONFIRMATION")
    assert bridge.frame() == {
        "scale_status": "CONFIRMATION",
        "truck_number": "01A777AA",
        "current_weight": 24500.0,
        "is_stable": True,
        "truck_id": 1,
        "gate_1_open": True,
        "gate_2_open": False,
        "sensors_active": [0, 1, 0],
    }
    bridge.end_confirm(bridge.begin_confirm(1, 24490), recorded=True)
    eventually(lambda: site.modbus.coils[:4] == [True, True, False, False])
    assert bridge.snapshot(1) == SAMPLE_JPEG
    assert bridge.weights() == {"weight_in": 24500.0, "weight_out": 0.0}


def test_faults_show_in_the_status_and_refuse_gate_commands(live: Live) -> None:
    site, bridge = live.site, live.bridge
    eventually(lambda: bridge.status()["controller"] and bridge.status()["scale_connection"])
    site.fault("modbus", "error")
    eventually(lambda: bridge.status()["controller"] is False)
    with pytest.raises(HardwareUnavailable, match=r"^Контроллер шлагбаумов недоступен: "):
        bridge.command_gate(1, True)
    site.fault("modbus", "none")
    eventually(lambda: bridge.status()["controller"] is True)
    bridge.command_gate(4, True)
    assert site.modbus.coils[3] is True
    site.fault("camera_2", "error")
    with pytest.raises(HardwareUnavailable, match=r"^Камера 2 недоступна: camera answered HTTP 500$"):
        bridge.snapshot(2)


def test_apply_points_a_camera_elsewhere_without_a_restart(live: Live) -> None:
    site, bridge = live.site, live.bridge
    eventually(lambda: bridge.status()["camera_2"])
    site.cameras[1].image = entry_image = b"\xff\xd8\xff\xe0entry-camera\xff\xd9"
    assert bridge.snapshot(2) == SAMPLE_JPEG
    bridge.apply(bridge.config.merged({"camera_out_ip": f"127.0.0.1:{site.cameras[1].port}"}))
    assert bridge.snapshot(2) == entry_image
