"""ANPR pushes (Hikvision ISAPI, notes §6.2): the plate out of `anpr.xml`, and a weighing started when idle.

Cameras push without authentication, so the receiver sits behind a secret path (`anpr_key`). A read
that arrives while a weighing is under way is ignored, never an error: a camera retries non-2xx answers.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from typing import Literal

from pydantic import BaseModel
from sqlalchemy.orm import Session

from opsuite.weighbridge.errors import BadRequest
from opsuite.weighbridge.process import visits
from opsuite.weighbridge.process.bridge import Bridge
from opsuite.weighbridge.process.errors import ProcessBusy

MAX_XML_BYTES = 64 * 1024
_DECLARATIONS = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_UNREAD = {"", "UNKNOWN", "NOPLATE", "无车牌"}


class AnprOut(BaseModel):
    """What the receiver did with a read."""

    status: Literal["started", "ignored"]
    truck_number: str | None = None
    truck_id: int | None = None
    reason: str | None = None


def plate_of(xml: bytes) -> str | None:
    """The `licensePlate` of an ANPR `EventNotificationAlert`, or None when the camera read no plate."""
    if len(xml) > MAX_XML_BYTES:
        raise BadRequest(f"anpr.xml больше {MAX_XML_BYTES // 1024} КБ")
    if _DECLARATIONS.search(xml):  # no DTDs: nothing to expand, nothing to fetch
        raise BadRequest("anpr.xml с DOCTYPE или ENTITY не принимается")
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as error:
        raise BadRequest(f"anpr.xml не разбирается: {error}") from None
    fields = {element.tag.rpartition("}")[2]: (element.text or "").strip() for element in root.iter()}
    if fields.get("eventType", "ANPR").upper() != "ANPR":
        raise BadRequest(f"Событие {fields['eventType']} не является ANPR")
    plate = fields.get("licensePlate", "")
    return None if plate.upper() in _UNREAD else plate


def receive(session: Session, bridge: Bridge, *, plate: str | None, now: datetime) -> AnprOut:
    """Start a weighing for `plate` when the process is idle; otherwise say why the read was ignored."""
    if plate is None:
        return AnprOut(status="ignored", reason="Камера не распознала номер")
    try:
        with session.begin_nested():  # a start that loses a race leaves no visit behind
            started = visits.start(session, bridge, truck_number=plate[:20], now=now)
    except ProcessBusy as busy:
        return AnprOut(status="ignored", truck_number=plate, reason=busy.detail)
    return AnprOut(status="started", truck_number=plate, truck_id=started.truck_id)
