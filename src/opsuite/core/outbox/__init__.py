"""Outbox: deliveries written in the business transaction, sent after commit, retried, swept."""

from opsuite.core.outbox.models import RESPONSE_BODY_LIMIT, DeliveryStatus, OutboxMixin
from opsuite.core.outbox.service import (
    Dispatcher,
    add,
    bind_dispatcher,
    bound_dispatcher,
    clock_of,
    dispatch,
    prepare,
    unbind_dispatcher,
)

__all__ = [
    "RESPONSE_BODY_LIMIT",
    "DeliveryStatus",
    "Dispatcher",
    "OutboxMixin",
    "add",
    "bind_dispatcher",
    "bound_dispatcher",
    "clock_of",
    "dispatch",
    "prepare",
    "unbind_dispatcher",
]
