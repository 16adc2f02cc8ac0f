"""Adding deliveries in the caller's transaction and handing them to a dispatcher once it commits."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol, TypeVar

from sqlalchemy.orm import Session

from opsuite.core.aftercommit import AfterCommit
from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.core.outbox.models import DeliveryStatus, OutboxMixin

log = logging.getLogger(__name__)

M = TypeVar("M", bound=OutboxMixin)


class Dispatcher(Protocol):
    """Something that sends committed deliveries by id, now or after `delay` seconds.

    It must not block on the sending; a lost dispatch is harmless, since the sweeper finds the row again.
    """

    def dispatch(self, ids: Sequence[str], delay: float = 0.0) -> None:
        """Schedule an attempt of each delivery in `ids` (their string uuids)."""


class _Binding:
    def __init__(self, dispatcher: Dispatcher | None, clock: Clock) -> None:
        self.dispatcher = dispatcher
        self.clock = clock


_bound: dict[type[OutboxMixin], _Binding] = {}
_bound_lock = threading.Lock()


def bind_dispatcher(
    model: type[OutboxMixin], dispatcher: Dispatcher | None, *, clock: Clock = SYSTEM_CLOCK
) -> None:
    """Make `dispatcher` the one committed deliveries of `model` go to in this process (None unbinds)."""
    with _bound_lock:
        if dispatcher is None:
            _bound.pop(model, None)
        else:
            _bound[model] = _Binding(dispatcher, clock)


def unbind_dispatcher(model: type[OutboxMixin], dispatcher: Dispatcher) -> None:
    """Unbind `dispatcher` if it is still the one bound to `model`."""
    with _bound_lock:
        binding = _bound.get(model)
        if binding is not None and binding.dispatcher is dispatcher:
            del _bound[model]


def bound_dispatcher(model: type[OutboxMixin]) -> Dispatcher | None:
    """The dispatcher bound to `model` in this process, if any."""
    with _bound_lock:
        binding = _bound.get(model)
        return None if binding is None else binding.dispatcher


def clock_of(model: type[OutboxMixin]) -> Clock:
    """The clock the bound dispatcher runs on (the real one when none is bound)."""
    with _bound_lock:
        binding = _bound.get(model)
        return SYSTEM_CLOCK if binding is None else binding.clock


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


def _dispatch_all(entries: list[tuple[type[OutboxMixin], str]]) -> None:
    by_model: dict[type[OutboxMixin], list[str]] = {}
    for model, delivery_id in entries:
        by_model.setdefault(model, []).append(delivery_id)
    for model, ids in by_model.items():
        dispatch(model, ids)


_to_dispatch: AfterCommit[tuple[type[OutboxMixin], str]] = AfterCommit(
    "opsuite.outbox.to_dispatch", _dispatch_all
)


def add(session: Session, deliveries: Iterable[OutboxMixin]) -> None:
    """Add prepared deliveries in the caller's transaction; they are dispatched only once it commits."""
    for delivery in deliveries:
        session.add(delivery)
        _to_dispatch.add(session, (type(delivery), str(delivery.id)))


def dispatch(model: type[OutboxMixin], ids: Sequence[str], delay: float = 0.0) -> bool:
    """Hand committed deliveries to the bound dispatcher; False leaves them to the sweeper."""
    dispatcher = bound_dispatcher(model)
    if dispatcher is None:
        log.debug("no dispatcher bound for %s; %d deliveries wait for the sweeper", model.__name__, len(ids))
        return False
    try:
        dispatcher.dispatch(list(ids), delay)
    except Exception:
        # The rows are committed; the sweeper will dispatch them again.
        log.exception("could not dispatch %d deliveries of %s", len(ids), model.__name__)
        return False
    return True
