"""The process's domain errors with a readable Russian reason; errors.py maps each by its base class."""

from __future__ import annotations

from opsuite.weighbridge.errors import Conflict, DeviceTimedOut, DeviceUnavailable, NotFound


class ProcessBusy(Conflict):
    """A weighing is under way, so another cannot start (409)."""


class ConfirmRefused(Conflict):
    """The weight cannot be confirmed: wrong state, wrong truck, unstable or too far from the scale (409)."""


class TruckNotFound(NotFound):
    """The truck of the weighing is gone from the journal (deleted meanwhile) (404)."""


class HardwareUnavailable(DeviceUnavailable):
    """The controller, scale or camera is not connected or refused the command (503)."""


class HardwareTimedOut(DeviceTimedOut):
    """The device did not answer in time (504)."""
