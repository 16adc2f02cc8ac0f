"""The systems this installation has, their ports, and a lazy import of each one's descriptor."""

from __future__ import annotations

import importlib
from types import ModuleType

# name -> module of its descriptor (NAME, PORT, settings, create_app, migrate, create_admin, load_demo)
SYSTEMS: dict[str, str] = {
    "production": "opsuite.production.system",
    "scales": "opsuite.scales.system",
    "waybills": "opsuite.waybills.system",
}
INDEX_PORT = 8000


def descriptor(name: str) -> ModuleType:
    """The descriptor module of one system."""
    if name not in SYSTEMS:
        raise KeyError(f"unknown system {name!r}; known: {', '.join(SYSTEMS)}")
    return importlib.import_module(SYSTEMS[name])
