"""Timestamps on the wire: ISO 8601 with the configured zone's offset (`2025-10-16T10:00:00+03:00`)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def shown(value: datetime | None, zone: ZoneInfo) -> str | None:
    """A stored UTC moment as the document shows it, to the second; None stays None."""
    if value is None:
        return None
    return value.astimezone(zone).replace(microsecond=0).isoformat()
