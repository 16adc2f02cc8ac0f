"""The simulator control API: trucks on and off, faults, and an ANPR read that starts a weighing."""

from __future__ import annotations

from opsuite.weighbridge.process.bridge import Bridge
from opsuite.weighbridge.simulation.site import SimulatedSite
from tests.weighbridge.helpers import Api
from tests.weighbridge.process.rig import eventually

HEALTHY_FAULTS = {"indicator": "none", "modbus": "none", "camera_1": "ok", "camera_2": "ok"}


def test_a_truck_on_and_off(operator: Api, bridge: Bridge, site: SimulatedSite) -> None:
    on = operator.post("/simulator/truck", json={"truck_number": "01A777AA", "weight": 24500})
    assert on.json() == {
        "status": "ok",
        "weight": 24500.0,
        "sensors": [0, 1, 0],
        "coils": [0, 0, 0, 0, 0, 0, 0, 0],
        "faults": HEALTHY_FAULTS,
        "anpr": None,
    }
    eventually(lambda: bridge.weights()["weight_in"] == 24500.0)
    off = operator.post("/simulator/truck/leave")
    assert (off.json()["weight"], off.json()["sensors"]) == (0.0, [0, 0, 0])
    assert bridge.frame()["scale_status"] == "IDLE"  # no weighing was started


def test_an_anpr_read_starts_the_weighing_when_idle(
    operator: Api, bridge: Bridge, site: SimulatedSite
) -> None:
    read = operator.post("/simulator/truck", json={"truck_number": "01A777AA", "weight": 24500, "anpr": True})
    anpr = read.json()["anpr"]
    assert anpr == {
        "status": "started",
        "truck_number": "01A777AA",
        "truck_id": anpr["truck_id"],
        "reason": None,
    }
    eventually(lambda: bridge.frame()["scale_status"] == "CONFIRMATION")
    again = operator.post(
        "/simulator/truck", json={"truck_number": "01B888BB", "weight": 24500, "anpr": True}
    )
    assert again.json()["anpr"] == {
        "status": "ignored",
        "truck_number": "01B888BB",
        "truck_id": None,
        "reason": "Идёт взвешивание машины 01A777AA (статус CONFIRMATION): подтвердите вес или сбросьте процесс",
    }


def test_faults_and_their_refusals(operator: Api, bridge: Bridge, site: SimulatedSite) -> None:
    faulty = operator.post("/simulator/fault", json={"device": "indicator", "fault": "silent"})
    assert faulty.json()["faults"] == {**HEALTHY_FAULTS, "indicator": "silent"}
    eventually(lambda: operator.get("/hardware/status").json()["scale_connection"] is False)
    operator.post("/simulator/fault", json={"device": "indicator", "fault": "none"})
    eventually(lambda: operator.get("/hardware/status").json()["scale_connection"] is True)
    unknown = operator.post("/simulator/fault", json={"device": "camera_2", "fault": "melted"})
    assert (unknown.status_code, unknown.json()) == (
        400,
        {"detail": "У устройства camera_2 нет режима 'melted'; есть: ok, slow, error, not_jpeg"},
    )
    assert operator.post("/simulator/fault", json={"device": "printer", "fault": "none"}).status_code == 422


def test_the_issues_device_and_fault_words_reach_each_simulator(operator: Api, site: SimulatedSite) -> None:
    said = {
        ("scale", "disconnect"): ("indicator", "silent"),
        ("scale", "noise"): ("indicator", "noise"),
        ("controller", "noise"): ("modbus", "error"),
        ("controller", "disconnect"): ("modbus", "silent"),
        ("camera_1", "disconnect"): ("camera_1", "error"),
        ("camera_2", "silent"): ("camera_2", "slow"),
        ("camera_2", "noise"): ("camera_2", "not_jpeg"),
    }
    for (device, fault), (simulator, mode) in said.items():
        answer = operator.post("/simulator/fault", json={"device": device, "fault": fault})
        assert (answer.status_code, answer.json()["faults"][simulator]) == (200, mode)
        healed = operator.post("/simulator/fault", json={"device": device, "fault": "none"})
        assert healed.json()["faults"] == HEALTHY_FAULTS
    assert operator.post("/simulator/truck", json={"weight": 100, "anpr": True}).json() == {
        "detail": "Для ANPR нужен truck_number"
    }
