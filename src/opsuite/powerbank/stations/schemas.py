"""Requests of stations: `POST /api/stations` and the partial `PUT /api/stations/{id}`."""

from __future__ import annotations

from pydantic import Field

from opsuite.core.fields import Text
from opsuite.core.text import RulesModel
from opsuite.powerbank.fields import OptionalUnitId
from opsuite.powerbank.vocab import StationStatus

BoxId = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")


class StationCreate(RulesModel):
    """`POST /api/stations`: status `pending` unless given; no unit only for a service admin."""

    org_unit_id: OptionalUnitId = None
    box_id: Text = BoxId
    iccid: Text | None = Field(default=None, max_length=32)
    slots_declared: int = Field(ge=1, le=255)
    status: StationStatus = StationStatus.PENDING


class StationUpdate(RulesModel):
    """`PUT /api/stations/{id}`: only what is sent changes; `remain_num` is derived and not accepted."""

    org_unit_id: OptionalUnitId = None
    box_id: Text | None = Field(default=None, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")
    iccid: Text | None = Field(default=None, max_length=32)
    slots_declared: int | None = Field(default=None, ge=1, le=255)
    status: StationStatus | None = None
