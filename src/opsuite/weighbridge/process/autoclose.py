"""Gate auto-close, pure: `timeout_s` after a gate opened, re-armed while any position sensor is active.

Software only times the command; the barrier's own safety loop protects what stands under it.
"""

from __future__ import annotations

from collections.abc import Mapping


class AutoClose:
    """Tracks open gates and says which to close; a close that does not take is retried a timeout later."""

    def __init__(self, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        self._deadlines: dict[int, float] = {}

    def opened(self, gate: int, now: float) -> None:
        """A gate was commanded open: its timer starts afresh."""
        if self.timeout_s > 0:
            self._deadlines[gate] = now + self.timeout_s

    def closed(self, gate: int) -> None:
        """A gate was commanded closed: nothing to time."""
        self._deadlines.pop(gate, None)

    def due(self, gates: Mapping[int, bool], sensors_active: bool, now: float) -> list[int]:
        """Gates to close now, given the gates seen open and whether any sensor is active."""
        if self.timeout_s <= 0:
            self._deadlines.clear()
            return []
        closing: list[int] = []
        for gate, is_open in sorted(gates.items()):
            if not is_open:
                self._deadlines.pop(gate, None)
                continue
            deadline = self._deadlines.setdefault(gate, now + self.timeout_s)
            if sensors_active:
                self._deadlines[gate] = max(deadline, now + self.timeout_s)
            elif now >= deadline:
                closing.append(gate)
                self._deadlines[gate] = now + self.timeout_s
        return closing
