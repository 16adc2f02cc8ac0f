"""The base of every system's domain errors, and how one table maps them to statuses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar


class DomainError(Exception):
    """A failure the caller can act on: a message, no status and no wire body (the system's table decides)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


E = TypeVar("E", bound=DomainError)


def status_in(table: Mapping[type[E], int], error: E) -> int:
    """The status `table` gives the error's nearest mapped class; 400 when none is mapped."""
    return next((table[cls] for cls in type(error).__mro__ if cls in table), 400)
