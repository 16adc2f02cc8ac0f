"""The hardware routes on the simulated site: status, gates, the current weight, snapshots, the status feed."""

from __future__ import annotations

from typing import Any

import pytest

from opsuite.weighbridge.devices.simulators.camera import SAMPLE_JPEG
from opsuite.weighbridge.process.bridge import HARDWARE_TOPIC, Bridge
from opsuite.weighbridge.simulation.site import SimulatedSite
from tests.weighbridge.helpers import API, Api
from tests.weighbridge.process.rig import eventually, leave

HEALTHY = {
    "controller": True,
    "gate_1": False,
    "gate_2": False,
    "sensor_1": False,
    "scale_connection": True,
    "camera_1": True,
    "camera_2": True,
}


def test_status_and_the_status_feed(operator: Api, bridge: Bridge, site: SimulatedSite) -> None:
    assert operator.get("/hardware/status").json() == HEALTHY
    with operator.client.websocket_connect(f"{API}/hardware/ws?token={operator.token}") as socket:
        assert set(socket.receive_json()) == set(HEALTHY)
        site.modbus.set_sensors(True, False, False)
        while not (status := socket.receive_json())["sensor_1"]:
            pass
        leave(socket, operator.client.app.state.runtime.hub, HARDWARE_TOPIC)  # type: ignore[attr-defined]
    assert status == {**HEALTHY, "sensor_1": True}


def test_gate_commands_reach_the_module(operator: Api, bridge: Bridge, site: SimulatedSite) -> None:
    opened = operator.post("/hardware/gates/3/open")
    assert (opened.status_code, opened.json()) == (
        200,
        {"status": "success", "message": "Gate 3 OPEN command sent"},
    )
    assert site.modbus.coils[2] is True
    closed = operator.post("/hardware/gates/3/close")
    assert closed.json() == {"status": "success", "message": "Gate 3 CLOSE command sent"}
    assert site.modbus.coils[2] is False
    operator.post("/hardware/gates/1/open")
    eventually(lambda: operator.get("/hardware/status").json()["gate_1"] is True)


@pytest.mark.parametrize(
    "path", ["/hardware/gates/5/open", "/hardware/gates/0/close", "/hardware/gates/1/jump"]
)
def test_bad_gate_or_action_is_422(operator: Api, path: str) -> None:
    assert operator.post(path).status_code == 422


def test_a_dead_controller_is_503(operator: Api, bridge: Bridge, site: SimulatedSite) -> None:
    site.fault("modbus", "error")
    response = operator.post("/hardware/gates/1/open")
    assert response.status_code == 503
    assert response.json()["detail"].startswith("Контроллер шлагбаумов недоступен: ")
    eventually(lambda: operator.get("/hardware/status").json()["controller"] is False)


def test_the_current_weight(operator: Api, bridge: Bridge, site: SimulatedSite) -> None:
    site.truck_on(25400)
    eventually(
        lambda: operator.get("/hardware/scales/current").json() == {"weight_in": 25400.0, "weight_out": 0.0}
    )


def test_snapshots_are_jpeg_and_failures_are_json(operator: Api, bridge: Bridge, site: SimulatedSite) -> None:
    shot = operator.get("/hardware/cameras/snapshot/2")
    assert (shot.status_code, shot.headers["content-type"], shot.content) == (200, "image/jpeg", SAMPLE_JPEG)
    site.fault("camera_1", "error")
    failed = operator.get("/hardware/cameras/snapshot/1")
    assert (failed.status_code, failed.json()) == (
        503,
        {"detail": "Камера 1 недоступна: camera answered HTTP 500"},
    )
    site.fault("camera_1", "slow")
    slow = operator.get("/hardware/cameras/snapshot/1")
    assert (slow.status_code, slow.json()) == (504, {"detail": "Камера 1 не ответила вовремя"})
    assert operator.get("/hardware/cameras/snapshot/3").status_code == 422


def test_hardware_needs_a_token(operator: Api) -> None:
    response: Any = operator.client.get(f"{API}/hardware/status")
    assert response.status_code == 401
