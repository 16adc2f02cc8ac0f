"""Moments on the wire: the site's local time with its offset, to the second (`2026-02-01T10:30:00+05:00`)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def local_iso(value: datetime, zone: ZoneInfo) -> str:
    """An aware datetime as ISO 8601 in the site's zone, seconds, with the offset."""
    return value.astimezone(zone).isoformat(timespec="seconds")


def day_range(date_from: date, date_to: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[start of `date_from`, start of the day after `date_to`) in the site's zone, as aware datetimes."""
    start = datetime.combine(date_from, time(), tzinfo=zone)
    end = datetime.combine(date_to + timedelta(days=1), time(), tzinfo=zone)
    return start, end
