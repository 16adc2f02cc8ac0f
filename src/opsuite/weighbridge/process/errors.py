"""The process's domain errors: a readable Russian reason and no HTTP status (errors.py maps them)."""

from __future__ import annotations


class ProcessError(Exception):
    """Something the operator asked for cannot be done now; `str(error)` says why, in Russian."""


class ProcessBusy(ProcessError):
    """A weighing is under way, so another cannot start (409)."""


class ConfirmRefused(ProcessError):
    """The weight cannot be confirmed: wrong state, wrong truck, unstable or too far from the scale (409)."""


class TruckNotFound(ProcessError):
    """The truck of the weighing is gone from the journal (deleted meanwhile) (404)."""


class HardwareUnavailable(ProcessError):
    """The controller, scale or camera is not connected or refused the command (503)."""


class HardwareTimedOut(ProcessError):
    """The device did not answer in time (504)."""
