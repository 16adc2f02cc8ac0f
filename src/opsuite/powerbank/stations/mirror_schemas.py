"""Requests of the manual slot-mirror edits."""

from __future__ import annotations

from pydantic import Field

from opsuite.core.fields import Id
from opsuite.core.text import RulesModel


class SlotEntry(RulesModel):
    """`POST /api/station-powerbanks`: a bank placed in a slot by hand (the next inventory wins)."""

    station_id: Id
    powerbank_id: Id
    slot_number: int = Field(ge=1, le=255)
    level: int | None = Field(default=None, ge=0, le=100)
    voltage: int | None = Field(default=None, ge=0, le=65535)
    temperature: int | None = Field(default=None, ge=-128, le=127)
