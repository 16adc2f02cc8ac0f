"""The bridge on fake devices: the process drives the gates, auto-close, live frames, apply, failures."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest

from opsuite.core.realtime import Subscription
from opsuite.weighbridge.config import BridgeConfig
from opsuite.weighbridge.devices.interface import DeviceTimedOut, DeviceUnavailable
from opsuite.weighbridge.process.bridge import HARDWARE_TOPIC, PROCESS_TOPIC
from opsuite.weighbridge.process.errors import HardwareTimedOut, HardwareUnavailable
from tests.weighbridge.process.rig import Rig, build_rig, eventually, run_async

SLOW_SCALE = {"scale_disconnect_s": 60.0}


@pytest.fixture
def rig() -> Iterator[Rig]:
    rig = build_rig(BridgeConfig().merged(SLOW_SCALE))
    yield rig
    rig.host.stop()


def test_a_weighing_opens_the_entry_gate_then_the_exit_gate(rig: Rig) -> None:
    rig.weigh(0)
    rig.bridge.start(105, "01A777AA")
    eventually(lambda: rig.io.commands == [(1, True)])
    assert rig.frame()["gate_1_open"] is True
    rig.weigh(24500)
    rig.sensors(False, True, False)
    assert rig.frame() == {
        "scale_status": "CONFIRMATION",
        "truck_number": "01A777AA",
        "current_weight": 24500.0,
        "is_stable": True,
        "truck_id": 105,
        "gate_1_open": True,
        "gate_2_open": False,
        "sensors_active": [0, 1, 0],
    }
    claim = rig.bridge.begin_confirm(105, 24500)
    rig.bridge.end_confirm(claim, recorded=True)
    eventually(lambda: rig.io.commands == [(1, True), (2, True)])
    assert (rig.frame()["scale_status"], rig.frame()["gate_2_open"]) == ("IDLE", True)


def test_gates_close_after_the_timeout_rearmed_while_a_sensor_is_active(rig: Rig) -> None:
    rig.bridge.command_gate(1, True)
    assert rig.io.commands == [(1, True)]
    rig.sensors(False, True, False)  # 0.2 s
    rig.tick(7.9)  # 8.1 s since the gate opened, but a sensor has been active all along
    rig.tick(0.2)
    assert rig.io.commands == [(1, True)]
    rig.sensors(False, False, False)
    rig.tick(7.6)
    assert rig.io.commands == [(1, True)]
    rig.tick(0.4)
    eventually(lambda: rig.io.commands == [(1, True), (1, False)])
    eventually(lambda: rig.frame()["gate_1_open"] is False)


def test_no_auto_close_when_the_timeout_is_zero(rig: Rig) -> None:
    rig.bridge.apply(rig.bridge.config.merged({"gate_close_timeout": 0}))
    rig.bridge.command_gate(2, True)
    for _ in range(5):
        rig.tick(10)
    assert rig.io.commands == [(2, True)]


async def drain(subscription: Subscription) -> list[dict[str, object]]:
    """Every frame queued so far (a short real wait marks the end)."""
    got = []
    while True:
        try:
            got.append(json.loads((await asyncio.wait_for(subscription.get(), 0.2)).text))
        except TimeoutError:
            return got


def test_the_live_frame_goes_out_every_200_ms_and_the_status_on_change(rig: Rig) -> None:
    async def listen() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
        with rig.hub.subscribe(PROCESS_TOPIC) as frames, rig.hub.subscribe(HARDWARE_TOPIC) as statuses:
            rig.io.sensors = (True, False, False)
            for _ in range(3):
                await asyncio.to_thread(rig.tick, 0.2)
            return await drain(frames), await drain(statuses)

    process, hardware = run_async(listen())
    assert len(process) == 3
    assert process[0]["scale_status"] == "IDLE"
    assert process[-1]["sensors_active"] == [1, 0, 0]
    assert hardware == [
        {
            "controller": True,
            "gate_1": False,
            "gate_2": False,
            "sensor_1": True,
            "scale_connection": False,
            "camera_1": True,
            "camera_2": True,
        }
    ]


def test_the_status_goes_out_once_a_second_when_nothing_changes(rig: Rig) -> None:
    async def listen() -> list[dict[str, object]]:
        with rig.hub.subscribe(HARDWARE_TOPIC) as statuses:
            for _ in range(10):
                await asyncio.to_thread(rig.tick, 0.2)
            return await drain(statuses)

    assert len(run_async(listen())) == 2


def test_apply_reconnects_only_the_devices_whose_settings_changed(rig: Rig) -> None:
    first_io, first_indicator = rig.io, rig.indicator
    rig.bridge.apply(rig.bridge.config.merged({"io_port": 1502, "gate_close_timeout": 1000}))
    assert rig.io is not first_io
    assert rig.indicator is first_indicator
    eventually(lambda: first_io.closed >= 1)
    rig.bridge.command_gate(3, True)
    assert (first_io.commands, rig.io.commands) == ([], [(3, True)])
    rig.tick(0.2)
    rig.tick(0.9)
    eventually(lambda: rig.io.commands == [(3, True), (3, False)])
    rig.bridge.apply(rig.bridge.config.merged({"scale_port": "socket://10.0.0.9:4001", "camera_out_ip": ""}))
    rig.weigh(1234)
    assert rig.factory.indicators["socket://10.0.0.9:4001"][-1].latest() is not None
    with pytest.raises(HardwareUnavailable, match=r"^Камера 2 не настроена$"):
        rig.bridge.snapshot(2)


def test_a_dead_controller_is_reported_and_never_blocks_the_weighing(rig: Rig) -> None:
    rig.sensors(True, True, False)
    rig.weigh(0)
    rig.io.error = DeviceUnavailable("connection refused")
    rig.tick(0.2)
    eventually(lambda: rig.bridge.status()["controller"] is False)
    rig.bridge.start(7, "01C111CC")  # the entry gate command fails and is logged
    rig.weigh(18000)
    assert rig.frame()["scale_status"] == "CONFIRMATION"  # the stale front beam no longer holds it
    with pytest.raises(HardwareUnavailable) as refused:
        rig.bridge.command_gate(1, True)
    assert str(refused.value) == "Контроллер шлагбаумов недоступен: connection refused"
    assert rig.bridge.weights() == {"weight_in": 18000.0, "weight_out": 0.0}


def test_snapshots_and_camera_failures(rig: Rig) -> None:
    assert rig.bridge.snapshot(1) == b"\xff\xd8\xff\xe0fake-jpeg\xff\xd9"
    rig.camera(1).error = DeviceTimedOut("slow")
    with pytest.raises(HardwareTimedOut, match=r"^Камера 1 не ответила вовремя$"):
        rig.bridge.snapshot(1)
    rig.camera(2).error = DeviceUnavailable("camera answered HTTP 500")
    with pytest.raises(HardwareUnavailable, match=r"^Камера 2 недоступна: camera answered HTTP 500$"):
        rig.bridge.snapshot(2)


def test_a_truck_leaving_unweighed_is_told_and_the_process_resets() -> None:
    rig = build_rig(BridgeConfig().merged({"leave_after_s": 3.0}))
    try:
        gone: list[tuple[int, str]] = []
        rig.bridge.on_left_unweighed(lambda left: gone.append((left.truck_id, left.truck_number)))
        rig.weigh(0)
        rig.bridge.start(9, "01D222DD")
        rig.weigh(12000)
        rig.weigh(0)
        rig.tick(1.5)
        rig.weigh(1)
        rig.tick(1.5)
        eventually(lambda: gone == [(9, "01D222DD")])
        assert rig.frame()["scale_status"] == "IDLE"
    finally:
        rig.host.stop()


def test_a_silent_scale_is_disconnected_after_the_gap() -> None:
    rig = build_rig(BridgeConfig().merged({"scale_disconnect_s": 2.0}))
    try:
        rig.weigh(500)
        assert rig.bridge.status()["scale_connection"] is True
        rig.tick(1.0)
        assert rig.bridge.status()["scale_connection"] is True
        rig.tick(1.0)
        eventually(lambda: rig.bridge.status()["scale_connection"] is False)
        assert rig.frame()["is_stable"] is False
        assert rig.bridge.weights() == {"weight_in": 0.0, "weight_out": 0.0}
    finally:
        rig.host.stop()
