"""Emitting domain events. PLACEHOLDER until the webhooks outbox lands: records nothing yet."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session


def emit(session: Session, event_type: str, data: dict[str, Any]) -> None:
    """Write one pending delivery per active subscription to `event_type`, in the caller's transaction."""
    del session, event_type, data
