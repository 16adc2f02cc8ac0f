"""The weighing state machine (notes §3.1), pure: fed readings, sensors, gates and time; answers commands.

IDLE → ENTERING on start (the entry gate opens) → WEIGHING once the truck is on the platform (weight at
least the minimum, neither end beam broken) → CONFIRMATION while the weight is stable there. A confirmed
weighing returns to IDLE and opens the exit gate; the next truck is not weighed until the platform has
been empty once, so the truck still driving off is never weighed for the next one. A truck that was on the
platform and stays off it for `leave_after_s` has left unweighed: the session ends as a reset would.

Not thread-safe; the bridge serialises every call. Times are monotonic seconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from opsuite.weighbridge.config import BridgeConfig
from opsuite.weighbridge.devices.interface import GATES, SENSOR_COUNT
from opsuite.weighbridge.process.errors import ConfirmRefused, ProcessBusy


class Status(StrEnum):
    """`scale_status` on the wire."""

    IDLE = "IDLE"
    ENTERING = "ENTERING"
    WEIGHING = "WEIGHING"
    CONFIRMATION = "CONFIRMATION"


@dataclass(frozen=True)
class Limits:
    """What the machine needs of the settings."""

    min_weight_kg: float = 200.0
    confirm_tolerance_kg: float = 20.0
    leave_after_s: float = 3.0
    entry_gate: int = 1
    exit_gate: int = 2

    @classmethod
    def of(cls, config: BridgeConfig) -> Limits:
        """The limits a config sets."""
        return cls(
            min_weight_kg=config.min_weight_kg,
            confirm_tolerance_kg=config.confirm_tolerance_kg,
            leave_after_s=config.leave_after_s,
            entry_gate=config.entry_gate,
            exit_gate=config.exit_gate,
        )


@dataclass(frozen=True)
class GateCommand:
    """Open or close one gate."""

    gate: int
    is_open: bool


@dataclass(frozen=True)
class LeftUnweighed:
    """The truck of a session drove off the platform without a confirmed weight."""

    truck_id: int
    truck_number: str


@dataclass(frozen=True)
class Claim:
    """A confirmation under way: which session, which truck, which weight; ended by `end_confirm`."""

    session: int
    truck_id: int
    weight: float


def _kg(value: float) -> str:
    return f"{value:g}"


class Machine:
    """One platform's weighing process."""

    def __init__(self, limits: Limits = Limits()) -> None:
        self.limits = limits
        self.status = Status.IDLE
        self.truck_id: int | None = None
        self.truck_number: str | None = None
        self.weight = 0.0
        self.stable = False
        self.scale_connected = False
        self.sensors: tuple[bool, ...] = (False,) * SENSOR_COUNT
        self.gates: dict[int, bool] = dict.fromkeys(GATES, False)
        self.io_connected = False
        self._session = 0
        self._claim: Claim | None = None
        self._must_clear = False
        self._seen_on = False
        self._empty_since: float | None = None

    # What the devices say.

    def reading(self, kg: float, stable: bool, now: float) -> list[LeftUnweighed]:
        """A weight from the indicator."""
        self.weight, self.stable, self.scale_connected = kg, stable, True
        return self.advance(now)

    def scale_lost(self, now: float) -> list[LeftUnweighed]:
        """The indicator stopped sending: nothing is stable, and nobody is taken for gone."""
        self.stable, self.scale_connected = False, False
        return self.advance(now)

    def io(self, sensors: tuple[bool, ...], gates: Mapping[int, bool], now: float) -> list[LeftUnweighed]:
        """A poll of the I/O module."""
        self.sensors, self.io_connected = tuple(sensors), True
        self.gates.update(gates)
        return self.advance(now)

    def io_lost(self, now: float) -> list[LeftUnweighed]:
        """The I/O module stopped answering: positioning is judged by weight alone until it is back."""
        self.io_connected = False
        return self.advance(now)

    def gate_commanded(self, command: GateCommand) -> None:
        """A gate command went through; show it before the next poll reads it back."""
        self.gates[command.gate] = command.is_open

    # What the operator asks.

    def start(self, truck_id: int, truck_number: str, now: float) -> list[GateCommand]:
        """Begin a weighing (IDLE only): ENTERING, and the entry gate opens."""
        self.check_start()
        self._session += 1
        self.status = Status.ENTERING
        self.truck_id, self.truck_number = truck_id, truck_number
        self._seen_on, self._empty_since = False, None
        self.advance(now)
        return [GateCommand(self.limits.entry_gate, True)]

    def check_start(self) -> None:
        """Raise ProcessBusy unless a weighing could start now."""
        if self.status is not Status.IDLE:
            raise ProcessBusy(
                f"Идёт взвешивание машины {self.truck_number} (статус {self.status}): "
                "подтвердите вес или сбросьте процесс"
            )

    def begin_confirm(self, truck_id: int, confirmed_weight: float) -> Claim:
        """Check a confirmation and hold the session for it; a second one meanwhile is refused."""
        if self.status is Status.IDLE or self.truck_id is None:
            raise ConfirmRefused("Нет активного взвешивания: сначала запустите процесс")
        if truck_id != self.truck_id:
            raise ConfirmRefused(
                f"Машина {truck_id} сейчас не на весах: "
                f"взвешивается машина {self.truck_id} ({self.truck_number})"
            )
        if self._claim is not None:
            raise ConfirmRefused("Вес этой машины уже подтверждается")
        if self.status is not Status.CONFIRMATION or not self.stable:
            raise ConfirmRefused(
                f"Вес ещё не готов к подтверждению (статус {self.status}): дождитесь стабильного веса"
            )
        difference = abs(confirmed_weight - self.weight)
        if difference > self.limits.confirm_tolerance_kg:
            raise ConfirmRefused(
                f"Подтверждаемый вес {_kg(confirmed_weight)} кг отличается от веса на весах "
                f"{_kg(self.weight)} кг больше чем на {_kg(self.limits.confirm_tolerance_kg)} кг"
            )
        self._claim = Claim(self._session, truck_id, confirmed_weight)
        return self._claim

    def end_confirm(self, claim: Claim, *, recorded: bool) -> list[GateCommand]:
        """The confirmation was recorded (IDLE, the exit gate opens) or not (the session goes on)."""
        if self._claim != claim:  # reset meanwhile: the new state is not this confirmation's to change
            return []
        self._claim = None
        if not recorded:
            return []
        self._clear()
        self._must_clear = True
        return [GateCommand(self.limits.exit_gate, True)]

    def reset(self) -> list[GateCommand]:
        """Abort to IDLE from any state and close the process's gates."""
        self._clear()
        self._must_clear = False
        return [GateCommand(self.limits.entry_gate, False), GateCommand(self.limits.exit_gate, False)]

    # The rules.

    @property
    def positioned(self) -> bool:
        """Neither end beam broken; without the I/O module the weight alone decides (it never blocks)."""
        return not self.io_connected or not (self.sensors[0] or self.sensors[-1])

    def advance(self, now: float) -> list[LeftUnweighed]:
        """Apply the rules at time `now`; tell who left unweighed."""
        loaded = self.scale_connected and self.weight >= self.limits.min_weight_kg
        if self._must_clear and self.scale_connected and not loaded:
            self._must_clear = False
        if self.status is Status.IDLE:
            return []
        on_platform = loaded and not self._must_clear
        if on_platform:
            self._seen_on, self._empty_since = True, None
        elif self._seen_on and self.scale_connected:
            self._empty_since = now if self._empty_since is None else self._empty_since
            if now - self._empty_since >= self.limits.leave_after_s and self._claim is None:
                gone = LeftUnweighed(self.truck_id or 0, self.truck_number or "")
                self._clear()
                return [gone]
        if self._claim is not None:  # hold the state while a confirmation is being recorded
            return []
        if not (on_platform and self.positioned):
            self.status = Status.ENTERING
        else:
            self.status = Status.CONFIRMATION if self.stable else Status.WEIGHING
        return []

    def frame(self) -> dict[str, Any]:
        """The `/process/ws` message, with the document's keys."""
        return {
            "scale_status": str(self.status),
            "truck_number": self.truck_number,
            "current_weight": float(self.weight),
            "is_stable": self.stable and self.scale_connected,
            "truck_id": self.truck_id,
            "gate_1_open": self.gates.get(1, False),
            "gate_2_open": self.gates.get(2, False),
            "sensors_active": [int(active) for active in self.sensors],
        }

    def _clear(self) -> None:
        self.status = Status.IDLE
        self.truck_id = self.truck_number = None
        self._claim = None
        self._seen_on, self._empty_since = False, None
