"""The systems this installation has; adding a system is one entry here."""

from __future__ import annotations

import importlib
from typing import Any

from opsuite.core.system import System

# name -> module whose `SYSTEM` describes it; imported only when used
SYSTEMS: dict[str, str] = {
    "powerbank": "opsuite.powerbank.system",
    "production": "opsuite.production.system",
    "scales": "opsuite.scales.system",
    "waybills": "opsuite.waybills.system",
    "weighbridge": "opsuite.weighbridge.system",
}
INDEX_PORT = 8000


def descriptor(name: str) -> System[Any]:
    """The descriptor of one system."""
    if name not in SYSTEMS:
        raise KeyError(f"unknown system {name!r}; known: {', '.join(SYSTEMS)}")
    system: System[Any] = importlib.import_module(SYSTEMS[name]).SYSTEM
    return system
