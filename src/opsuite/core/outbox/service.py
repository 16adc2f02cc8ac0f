"""What a dispatcher is, and the outbox columns of a new delivery."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, TypeVar

from opsuite.core.outbox.models import DeliveryStatus, OutboxMixin

M = TypeVar("M", bound=OutboxMixin)


class Dispatcher(Protocol):
    """Something that sends committed deliveries by id, now or after `delay` seconds.

    It must not block on the sending; a lost dispatch is harmless, since the sweeper finds the row again.
    """

    def dispatch(self, ids: Sequence[str], delay: float = 0.0) -> None:
        """Schedule an attempt of each delivery in `ids` (their string uuids)."""


def prepare(delivery: M, *, now: datetime, max_attempts: int, timeout: float) -> M:
    """Fill the outbox columns of a new delivery: pending, due now."""
    if max_attempts < 1 or timeout <= 0:
        raise ValueError("a delivery needs at least one attempt and a positive timeout")
    if delivery.id is None:
        delivery.id = uuid.uuid4()
    delivery.status = DeliveryStatus.PENDING.value
    delivery.attempts = 0
    delivery.max_attempts = max_attempts
    delivery.timeout = timeout
    delivery.created_at = now
    delivery.next_attempt_at = now
    delivery.locked_until = None
    return delivery
