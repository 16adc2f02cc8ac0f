"""The weighing state machine, fed by hand with a fake clock: every transition and every refusal."""

from __future__ import annotations

import pytest

from opsuite.weighbridge.process.errors import ConfirmRefused, ProcessBusy
from opsuite.weighbridge.process.machine import GateCommand, LeftUnweighed, Limits, Machine, Status
from tests.clock import FakeClock

MIDDLE = (False, True, False)
FRONT = (True, True, False)
CLOSED = {1: False, 2: False, 3: False, 4: False}


def machine_on(clock: FakeClock) -> Machine:
    machine = Machine(
        Limits(min_weight_kg=200, confirm_tolerance_kg=20, leave_after_s=3, entry_gate=1, exit_gate=2)
    )
    machine.reading(0, True, clock.monotonic())
    machine.io((False, False, False), CLOSED, clock.monotonic())
    return machine


def weighed(clock: FakeClock, kg: float = 24500) -> Machine:
    machine = machine_on(clock)
    machine.start(105, "01A777AA", clock.monotonic())
    machine.io(MIDDLE, CLOSED, clock.monotonic())
    machine.reading(kg, True, clock.monotonic())
    return machine


def test_idle_frame_has_the_document_keys() -> None:
    machine = machine_on(FakeClock())
    assert machine.frame() == {
        "scale_status": "IDLE",
        "truck_number": None,
        "current_weight": 0.0,
        "is_stable": True,
        "truck_id": None,
        "gate_1_open": False,
        "gate_2_open": False,
        "sensors_active": [0, 0, 0],
    }


def test_a_truck_goes_through_entering_weighing_confirmation() -> None:
    clock = FakeClock()
    machine = machine_on(clock)
    assert machine.start(105, "01A777AA", clock.monotonic()) == [GateCommand(1, True)]
    assert (machine.status, machine.truck_id, machine.truck_number) == (Status.ENTERING, 105, "01A777AA")
    machine.reading(8000, False, clock.monotonic())
    machine.io(FRONT, {1: True}, clock.monotonic())
    assert machine.status is Status.ENTERING  # the front beam is broken: not fully on the platform
    machine.io(MIDDLE, {1: False}, clock.monotonic())
    assert machine.status is Status.WEIGHING
    machine.reading(24500, True, clock.monotonic())
    assert machine.status is Status.CONFIRMATION
    assert machine.frame() == {
        "scale_status": "CONFIRMATION",
        "truck_number": "01A777AA",
        "current_weight": 24500.0,
        "is_stable": True,
        "truck_id": 105,
        "gate_1_open": False,
        "gate_2_open": False,
        "sensors_active": [0, 1, 0],
    }
    machine.reading(24560, False, clock.monotonic())
    assert machine.status is Status.WEIGHING


def test_confirm_ends_the_session_and_opens_the_exit_gate() -> None:
    clock = FakeClock()
    machine = weighed(clock)
    claim = machine.begin_confirm(105, 24510)
    assert (claim.truck_id, claim.weight) == (105, 24510)
    assert machine.end_confirm(claim, recorded=True) == [GateCommand(2, True)]
    assert (machine.status, machine.truck_id, machine.truck_number) == (Status.IDLE, None, None)


def test_the_truck_driving_off_is_not_weighed_for_the_next() -> None:
    clock = FakeClock()
    machine = weighed(clock)
    machine.end_confirm(machine.begin_confirm(105, 24500), recorded=True)
    machine.start(106, "01B888BB", clock.monotonic())
    machine.reading(24500, True, clock.monotonic())
    assert machine.status is Status.ENTERING  # still the previous truck on the platform
    machine.reading(0, True, clock.monotonic())
    machine.reading(18000, True, clock.monotonic())
    assert (machine.status, machine.truck_id) == (Status.CONFIRMATION, 106)


def test_a_truck_already_on_the_platform_is_weighed_at_once() -> None:
    clock = FakeClock()
    machine = machine_on(clock)
    machine.reading(15000, True, clock.monotonic())
    machine.start(7, "01C111CC", clock.monotonic())
    assert machine.status is Status.CONFIRMATION


@pytest.mark.parametrize(
    ("truck_id", "weight", "reason"),
    [
        (106, 24500, "Машина 106 сейчас не на весах: взвешивается машина 105 (01A777AA)"),
        (105, 24521, "Подтверждаемый вес 24521 кг отличается от веса на весах 24500 кг больше чем на 20 кг"),
    ],
)
def test_confirm_refusals_in_confirmation(truck_id: int, weight: float, reason: str) -> None:
    machine = weighed(FakeClock())
    with pytest.raises(ConfirmRefused) as refused:
        machine.begin_confirm(truck_id, weight)
    assert str(refused.value) == reason
    assert machine.status is Status.CONFIRMATION


def test_confirm_refused_before_the_weight_is_stable_and_when_idle() -> None:
    clock = FakeClock()
    machine = machine_on(clock)
    with pytest.raises(ConfirmRefused, match=r"^Нет активного взвешивания: сначала запустите процесс$"):
        machine.begin_confirm(105, 0)
    machine.start(105, "01A777AA", clock.monotonic())
    machine.reading(24500, False, clock.monotonic())
    with pytest.raises(ConfirmRefused) as refused:
        machine.begin_confirm(105, 24500)
    assert (
        str(refused.value) == "Вес ещё не готов к подтверждению (статус WEIGHING): дождитесь стабильного веса"
    )


def test_a_second_confirmation_meanwhile_is_refused_and_a_failed_one_keeps_the_session() -> None:
    machine = weighed(FakeClock())
    claim = machine.begin_confirm(105, 24500)
    with pytest.raises(ConfirmRefused, match=r"^Вес этой машины уже подтверждается$"):
        machine.begin_confirm(105, 24500)
    assert machine.end_confirm(claim, recorded=False) == []
    assert machine.status is Status.CONFIRMATION
    assert machine.begin_confirm(105, 24500).weight == 24500


def test_a_reset_during_a_confirmation_wins() -> None:
    clock = FakeClock()
    machine = weighed(clock)
    claim = machine.begin_confirm(105, 24500)
    assert machine.reset() == [GateCommand(1, False), GateCommand(2, False)]
    machine.start(106, "01B888BB", clock.monotonic())
    assert machine.end_confirm(claim, recorded=True) == []
    assert (machine.status, machine.truck_id) == (Status.CONFIRMATION, 106)


def test_start_during_a_weighing_is_refused() -> None:
    clock = FakeClock()
    machine = weighed(clock)
    with pytest.raises(ProcessBusy) as busy:
        machine.start(106, "01B888BB", clock.monotonic())
    assert str(busy.value) == (
        "Идёт взвешивание машины 01A777AA (статус CONFIRMATION): подтвердите вес или сбросьте процесс"
    )
    assert machine.truck_id == 105


def test_a_truck_that_leaves_unweighed_ends_the_session_after_the_grace() -> None:
    clock = FakeClock()
    machine = weighed(clock)
    assert machine.reading(50, True, clock.monotonic()) == []
    assert machine.status is Status.ENTERING
    clock.advance(seconds=2.9)
    assert machine.advance(clock.monotonic()) == []
    machine.reading(20000, False, clock.monotonic())  # back on: the grace starts over
    machine.reading(0, True, clock.monotonic())
    clock.advance(seconds=2.9)
    assert machine.advance(clock.monotonic()) == []
    clock.advance(seconds=0.1)
    assert machine.advance(clock.monotonic()) == [LeftUnweighed(105, "01A777AA")]
    assert (machine.status, machine.truck_id) == (Status.IDLE, None)


def test_a_lost_scale_is_never_taken_for_a_truck_that_left() -> None:
    clock = FakeClock()
    machine = weighed(clock)
    machine.scale_lost(clock.monotonic())
    clock.advance(seconds=60)
    assert machine.advance(clock.monotonic()) == []
    assert machine.frame()["is_stable"] is False
    assert machine.status is Status.ENTERING
    with pytest.raises(ConfirmRefused):
        machine.begin_confirm(105, 24500)


def test_a_lost_io_module_never_blocks_a_weighing() -> None:
    clock = FakeClock()
    machine = machine_on(clock)
    machine.start(105, "01A777AA", clock.monotonic())
    machine.io(FRONT, CLOSED, clock.monotonic())
    machine.reading(24500, True, clock.monotonic())
    assert machine.status is Status.ENTERING
    machine.io_lost(clock.monotonic())
    assert machine.status is Status.CONFIRMATION


def test_gate_commands_show_before_the_next_poll() -> None:
    machine = machine_on(FakeClock())
    machine.gate_commanded(GateCommand(2, True))
    assert (machine.frame()["gate_1_open"], machine.frame()["gate_2_open"]) == (False, True)
