"""The demo cabinets: the stations `load_demo` creates and the simulators `opsuite serve` starts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


def demo_serial(station: int, slot: int) -> str:
    """The 16-hex serial of the demo bank in `slot` of demo station `station` (`DCHAT` + 3 bytes)."""
    return f"444348415400{station:02X}{slot:02X}"


@dataclass(frozen=True)
class DemoCabinet:
    """One demo cabinet: box id, the secret it signs frames with, slots and the banks in them."""

    box_id: str
    secret_key: str
    slots: int
    banks: Mapping[int, str] = field(default_factory=dict)
    """Slot -> serial (16 hex digits)."""


def _cabinet(number: int, slots: int, filled: int) -> DemoCabinet:
    banks = {slot: demo_serial(number, slot) for slot in range(1, filled + 1)}
    return DemoCabinet(f"ST{number:03d}", f"DEMOKEY{number}", slots, banks)


DEMO_CABINETS: tuple[DemoCabinet, ...] = (_cabinet(1, 8, 6), _cabinet(2, 8, 5), _cabinet(3, 4, 3))
"""ST001 (8 slots, 6 banks) and ST002 (8, 5) in the subgroup; ST003 (4, 3) in the group."""
