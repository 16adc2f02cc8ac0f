"""What the hardware routes ask of the bridge."""

from __future__ import annotations

from opsuite.weighbridge.hardware.schemas import GateAction, GateOut, HardwareStatus, ScalesOut
from opsuite.weighbridge.process.bridge import Bridge


def status(bridge: Bridge) -> HardwareStatus:
    """The devices' state now."""
    return HardwareStatus(**bridge.status())


def command_gate(bridge: Bridge, gate_id: int, action: GateAction) -> GateOut:
    """Send a gate command and wait for the controller to take it (503 when it cannot)."""
    bridge.command_gate(gate_id, action == "open")
    return GateOut(message=f"Gate {gate_id} {action.upper()} command sent")


def current_weights(bridge: Bridge) -> ScalesOut:
    """What the platforms show now (0 while a scale is disconnected)."""
    return ScalesOut(**bridge.weights())


def snapshot(bridge: Bridge, camera_id: int) -> bytes:
    """One JPEG from camera 1 (entry) or 2 (exit); 503 when it fails, 504 when it is too slow."""
    return bridge.snapshot(camera_id)
