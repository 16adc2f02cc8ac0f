"""A device operation: under the device's lock, logged with how it ended."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from opsuite.scales.errors import ScalesError, status_of
from opsuite.scales.fleet.lock import device_lock
from opsuite.scales.oplog import service as oplog
from opsuite.scales.runtime import Runtime


@dataclass
class Outcome:
    """How an operation that succeeded is logged; the block may say more than a bare OK."""

    status: str = "OK"
    detail: str | None = None


@contextmanager
def device_operation(runtime: Runtime, device_id: int, name: str) -> Iterator[Outcome]:
    """Run the block under the device's lock and write one log entry with the status it ended in."""
    outcome = Outcome()
    try:
        with device_lock(runtime, device_id):
            yield outcome
    except ScalesError as exc:
        _log(runtime, device_id, name, "ERROR", status_of(exc), exc.detail)
        raise
    _log(runtime, device_id, name, outcome.status, 200, outcome.detail)


def _log(
    runtime: Runtime, device_id: int, name: str, status: str, http_status: int, detail: str | None
) -> None:
    oplog.record(
        runtime.database,
        device_id=device_id,
        operation=name,
        status=status,
        http_status=http_status,
        detail=detail,
        at=runtime.clock.now(),
    )
