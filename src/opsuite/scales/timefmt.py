"""Timestamps on the wire: `YYYY-MM-DDTHH:MM:SSZ`, as the original's `last_run_utc`."""

from __future__ import annotations

from datetime import UTC, datetime


def iso_z(value: datetime) -> str:
    """An aware datetime as UTC ISO 8601 with seconds and a Z."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
