"""Requests of slot abnormal reports."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, Field

from opsuite.core.fields import Id
from opsuite.core.text import RulesModel
from opsuite.powerbank.vocab import AbnormalEvent


class AbnormalReportCreate(RulesModel):
    """`POST /api/slot-abnormal-reports` (service admin): an entry of a cabinet event by hand."""

    station_id: Id
    slot_number: int = Field(ge=1, le=255)
    terminal_id: str = Field(default="0" * 16, pattern=r"^[0-9A-Fa-f]{16}$")
    event_type: AbnormalEvent
    reported_at: AwareDatetime | None = None

    def when(self, now: datetime) -> datetime:
        """`reported_at`, or now."""
        return self.reported_at or now
