"""The optimal bank of a station (notes §3.3): healthy first, then level, SOH, voltage, lowest slot."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from opsuite.powerbank.borrow import messages as m
from opsuite.powerbank.errors import BadRequest
from opsuite.powerbank.orders.models import Order
from opsuite.powerbank.powerbanks.models import Powerbank
from opsuite.powerbank.stations.models import StationPowerbank
from opsuite.powerbank.vocab import ACTIVE_ORDER, PowerbankStatus

MIN_LEVEL = 5
VOLTAGE_MV = (3000, 4500)
TEMPERATURE_C = (-10, 60)
REASON = "Выбран исправный повербанк с наибольшим зарядом"


@dataclass(frozen=True)
class Candidate:
    """A lendable bank in a slot, as the latest cabinet report shows it."""

    slot: StationPowerbank
    bank: Powerbank

    @property
    def healthy(self) -> bool:
        """Level ≥ 5 %, 3000..4500 mV, −10..60 °C (the original's gates)."""
        level, voltage, temperature = self.slot.level or 0, self.slot.voltage or 0, self.slot.temperature
        return (
            level >= MIN_LEVEL
            and VOLTAGE_MV[0] <= voltage <= VOLTAGE_MV[1]
            and temperature is not None
            and TEMPERATURE_C[0] <= temperature <= TEMPERATURE_C[1]
        )

    def row(self) -> dict[str, object]:
        """`{slot_number, powerbank_id, serial_number, level, voltage, temperature, soh, has_errors}`."""
        return {
            "slot_number": self.slot.slot_number,
            "powerbank_id": self.bank.id,
            "serial_number": self.bank.serial_number,
            "level": self.slot.level,
            "voltage": self.slot.voltage,
            "temperature": self.slot.temperature,
            "soh": self.slot.soh,
            "has_errors": not self.healthy,
        }


@dataclass(frozen=True)
class Choice:
    """The chosen bank and the counts behind the choice."""

    best: Candidate
    total: int
    healthy: int

    def info(self) -> dict[str, object]:
        """`{reason, total_available, healthy_count, error_count}`."""
        return {
            "reason": REASON,
            "total_available": self.total,
            "healthy_count": self.healthy,
            "error_count": self.total - self.healthy,
        }


def candidates(session: Session, station_id: int) -> list[Candidate]:
    """Slots with a latched, active, unrented, unquarantined bank."""
    rented = select(Order.powerbank_id).where(Order.status.in_([str(s) for s in ACTIVE_ORDER]))
    rows = session.execute(
        select(StationPowerbank, Powerbank)
        .join(Powerbank, Powerbank.id == StationPowerbank.powerbank_id)
        .where(
            StationPowerbank.station_id == station_id,
            StationPowerbank.lendable.is_(True),
            StationPowerbank.quarantined.is_(False),
            Powerbank.status == PowerbankStatus.ACTIVE.value,
            Powerbank.id.not_in(rented),
        )
        .order_by(StationPowerbank.slot_number)
    ).all()
    return [Candidate(slot, bank) for slot, bank in rows]


def choose(session: Session, station_id: int) -> Choice:
    """The best healthy bank; 400 when the station has none (with the counts)."""
    found = candidates(session, station_id)
    healthy = [c for c in found if c.healthy]
    if not healthy:
        raise BadRequest(m.NO_HEALTHY.format(total=len(found), errors=len(found)))
    best = min(
        healthy,
        key=lambda c: (-(c.slot.level or 0), -(c.slot.soh or 0), -(c.slot.voltage or 0), c.slot.slot_number),
    )
    return Choice(best, len(found), len(healthy))
