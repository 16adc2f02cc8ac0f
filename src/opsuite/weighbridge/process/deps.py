"""The bridge of this process, for the process and hardware routes (503 where no process owns devices)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from opsuite.weighbridge.deps import RuntimeDep
from opsuite.weighbridge.process.bridge import Bridge
from opsuite.weighbridge.process.errors import HardwareUnavailable

NO_BRIDGE = "Оборудование весовой не запущено в этом процессе"


def bridge_of(runtime: RuntimeDep) -> Bridge:
    """The runtime's bridge controller; HardwareUnavailable (503) when this process owns no devices."""
    bridge = runtime.bridge
    if not isinstance(bridge, Bridge):
        raise HardwareUnavailable(NO_BRIDGE)
    return bridge


BridgeDep = Annotated[Bridge, Depends(bridge_of)]
