"""Wire shape of a device's auto-update configuration (the original's AutoUpdateConfig, plus run_at)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_serializer, field_validator

from opsuite.core.text import RulesModel
from opsuite.scales import messages
from opsuite.scales.autoupdate.timing import parse_run_at
from opsuite.scales.timefmt import iso_z


class AutoUpdateIn(RulesModel):
    """What a PUT may set; a field left out stays as it is, and `last_*` fields echoed back are ignored.

    The client sends only `{enabled, interval_minutes}`, so a daily `run_at` set elsewhere survives it.
    """

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"enabled": True, "interval_minutes": 1440, "run_at": "06:00"}]}
    )

    enabled: bool | None = None
    interval_minutes: int | None = Field(default=None, ge=1, le=525_600)
    run_at: str | None = None
    """Daily at this `HH:MM` in the store's time zone; wins over the interval when set; null clears it."""

    @field_validator("enabled", "interval_minutes")
    @classmethod
    def _not_null(cls, value: bool | int | None) -> bool | int:
        # Left out means "unchanged"; an explicit null has no meaning here (unlike run_at's).
        if value is None:
            raise ValueError(messages.NOT_NULL)
        return value

    @field_validator("run_at")
    @classmethod
    def _run_at(cls, value: str | None) -> str | None:
        if value is not None:
            parse_run_at(value)
        return value

    def given(self) -> dict[str, Any]:
        """The fields the body carried, with their values."""
        return {
            name: getattr(self, name) for name in self.model_fields_set if name in type(self).model_fields
        }


class AutoUpdateOut(BaseModel):
    """A device's schedule and how its last run went."""

    model_config = ConfigDict(from_attributes=True)

    enabled: bool
    interval_minutes: int
    run_at: str | None
    next_run_utc: datetime | None = Field(validation_alias="next_run_at")
    last_run_utc: datetime | None
    last_status: str | None
    last_error: str | None

    @field_serializer("next_run_utc", "last_run_utc")
    def _utc(self, value: datetime | None) -> str | None:
        return iso_z(value) if value is not None else None
