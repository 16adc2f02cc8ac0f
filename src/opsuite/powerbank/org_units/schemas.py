"""Requests of org units; `adress` (sic) is the wire name, `address` is accepted too."""

from __future__ import annotations

from pydantic import AliasChoices, Field

from opsuite.core.fields import Text
from opsuite.core.text import RulesModel
from opsuite.powerbank.fields import OptionalUnitId
from opsuite.powerbank.vocab import UnitType

_ADRESS = AliasChoices("adress", "address")


class OrgUnitCreate(RulesModel):
    """`POST /api/org-units`."""

    parent_org_unit_id: OptionalUnitId = None
    unit_type: UnitType
    name: Text = Field(min_length=1, max_length=255)
    adress: Text | None = Field(default=None, max_length=500, validation_alias=_ADRESS)
    logo_url: Text | None = Field(default=None, max_length=1000)
    default_powerbank_limit: int = Field(default=1, ge=0, le=1000)
    reminder_hours: int = Field(default=24, ge=1, le=8760)
    write_off_hours: int = Field(default=48, ge=1, le=8760)


class OrgUnitUpdate(RulesModel):
    """`PUT /api/org-units/{id}`: only the fields sent change."""

    parent_org_unit_id: OptionalUnitId = None
    unit_type: UnitType | None = None
    name: Text | None = Field(default=None, min_length=1, max_length=255)
    adress: Text | None = Field(default=None, max_length=500, validation_alias=_ADRESS)
    logo_url: Text | None = Field(default=None, max_length=1000)
    default_powerbank_limit: int | None = Field(default=None, ge=0, le=1000)
    reminder_hours: int | None = Field(default=None, ge=1, le=8760)
    write_off_hours: int | None = Field(default=None, ge=1, le=8760)
