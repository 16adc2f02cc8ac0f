"""One lock per device, a database lease, so API workers and scheduled runs exclude each other."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from opsuite.core.jobs import acquire_lease, release_lease
from opsuite.scales.errors import DeviceBusy
from opsuite.scales.jobs.models import Lease
from opsuite.scales.runtime import Runtime


def lock_name(device_id: int) -> str:
    """The lease name of a device's lock."""
    return f"device:{device_id}"


@contextmanager
def device_lock(runtime: Runtime, device_id: int) -> Iterator[None]:
    """Hold the device's lock for the block; DeviceBusy when someone else holds it."""
    holder = uuid.uuid4().hex
    ttl = timedelta(seconds=runtime.settings.device_lock_seconds)
    with runtime.database.session() as session:
        taken = acquire_lease(
            session, Lease, lock_name(device_id), holder=holder, ttl=ttl, now=runtime.clock.now()
        )
    if not taken:
        raise DeviceBusy()
    try:
        yield
    finally:
        with runtime.database.session() as session:
            release_lease(session, Lease, lock_name(device_id), holder=holder)
