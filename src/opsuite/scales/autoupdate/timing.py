"""When an auto-update schedule fires next: every N minutes, or daily at HH:MM in the store's zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from opsuite.scales import messages


def parse_run_at(value: str) -> dt.time:
    """`HH:MM` as a time; ValueError otherwise."""
    hours, _, minutes = value.partition(":")
    if len(hours) != 2 or len(minutes) != 2 or not (hours + minutes).isdigit():
        raise ValueError(messages.RUN_AT)
    return dt.time(int(hours), int(minutes))


def next_run(now: dt.datetime, *, interval_minutes: int, run_at: str | None, zone: ZoneInfo) -> dt.datetime:
    """The first run after `now`: the next `run_at` in `zone` when set, else `now + interval`."""
    if run_at is None:
        return now + dt.timedelta(minutes=interval_minutes)
    at = parse_run_at(run_at)
    local = now.astimezone(zone)
    candidate = dt.datetime.combine(local.date(), at, tzinfo=zone)
    if candidate <= local:
        candidate = dt.datetime.combine(local.date() + dt.timedelta(days=1), at, tzinfo=zone)
    return candidate.astimezone(dt.UTC)
