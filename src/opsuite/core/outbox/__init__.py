"""Outbox: deliveries written in the business transaction, sent after commit, signed, retried, swept.

A system mixes `OutboxMixin` into a table, builds one `Outbox` (database, model, resolver of targets) and
runs an engine: `InProcessDispatcher` by default, or `CallDispatcher(celery_runner)` with `Outbox.deliver`
registered as the worker function `outbox.deliver`. Business code calls `prepare` + `Outbox.add` inside its
transaction; the dispatcher attached to that outbox gets the ids once it commits.
"""

from opsuite.core.outbox.delivery import (
    Attempt,
    Messages,
    Outbox,
    Outcome,
    Resolver,
    RetryPolicy,
    Target,
    signature,
)
from opsuite.core.outbox.engine import CallDispatcher, FunctionCaller, InProcessDispatcher
from opsuite.core.outbox.models import RESPONSE_BODY_LIMIT, DeliveryStatus, OutboxMixin
from opsuite.core.outbox.service import Dispatcher, prepare

__all__ = [
    "RESPONSE_BODY_LIMIT",
    "Attempt",
    "CallDispatcher",
    "DeliveryStatus",
    "Dispatcher",
    "FunctionCaller",
    "InProcessDispatcher",
    "Messages",
    "Outbox",
    "OutboxMixin",
    "Outcome",
    "Resolver",
    "RetryPolicy",
    "Target",
    "prepare",
    "signature",
]
