"""Stations as the document shows them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from opsuite.powerbank.stations.models import Station
from opsuite.powerbank.timefmt import shown


def is_online(station: Station, now: datetime, offline_after_s: float) -> bool:
    """Whether the cabinet sent a frame within `offline_after_s` (its admin status apart)."""
    seen = station.last_seen_at
    return seen is not None and now - seen <= timedelta(seconds=offline_after_s)


def station_row(
    station: Station,
    *,
    unit_name: str | None,
    remain_num: int,
    online: bool,
    zone: ZoneInfo,
) -> dict[str, Any]:
    """A row of `GET /api/stations` and the body of one station."""
    return {
        "station_id": station.id,
        "org_unit_id": station.org_unit_id,
        "org_unit_name": unit_name,
        "box_id": station.box_id,
        "iccid": station.iccid,
        "slots_declared": station.slots_declared,
        "remain_num": remain_num,
        "last_seen": shown(station.last_seen_at, zone),
        "created_at": shown(station.created_at, zone),
        "updated_at": shown(station.updated_at, zone),
        "status": station.status,
        "online": online,
    }
