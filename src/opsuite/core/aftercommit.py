"""Items collected inside a session's transaction and handed on only once it commits.

Jobs are submitted and outbox deliveries dispatched this way: a rollback drops everything collected, a
rolled-back savepoint only what was collected inside it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

T = TypeVar("T")


class AfterCommit(Generic[T]):
    """A per-session list of items given to `on_commit` after the session's transaction commits."""

    def __init__(self, key: str, on_commit: Callable[[list[T]], None]) -> None:
        self._items_key = f"{key}.items"
        self._listening_key = f"{key}.listening"
        self._on_commit = on_commit

    def add(self, session: Session, item: T) -> None:
        """Collect `item` in the session's current transaction (or savepoint)."""
        if not session.info.get(self._listening_key):
            session.info[self._listening_key] = True
            event.listen(session, "after_commit", self._committed)
            event.listen(session, "after_soft_rollback", self._rolled_back)
        entries: list[tuple[T, SessionTransaction | None]] = session.info.setdefault(self._items_key, [])
        entries.append((item, session.get_nested_transaction()))

    def _committed(self, session: Session) -> None:
        entries: list[tuple[T, SessionTransaction | None]] = session.info.pop(self._items_key, [])
        if entries:
            self._on_commit([item for item, _savepoint in entries])

    def _rolled_back(self, session: Session, previous_transaction: SessionTransaction) -> None:
        entries: list[tuple[T, SessionTransaction | None]] = session.info.get(self._items_key, [])
        if not previous_transaction.nested:
            entries.clear()
            return
        entries[:] = [entry for entry in entries if entry[1] is not previous_transaction]
