"""Org units as the document shows them."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from opsuite.powerbank.org_units.models import OrgUnit
from opsuite.powerbank.timefmt import shown


def unit_row(unit: OrgUnit, parent_name: str | None, zone: ZoneInfo) -> dict[str, Any]:
    """A row of `GET /api/org-units` and the body of one unit (`adress` as the document spells it)."""
    return {
        "org_unit_id": unit.id,
        "parent_org_unit_id": unit.parent_id,
        "parent_name": parent_name,
        "unit_type": unit.unit_type,
        "name": unit.name,
        "adress": unit.adress,
        "logo_url": unit.logo_url,
        "default_powerbank_limit": unit.default_powerbank_limit,
        "reminder_hours": unit.reminder_hours,
        "write_off_hours": unit.write_off_hours,
        "created_at": shown(unit.created_at, zone),
    }
