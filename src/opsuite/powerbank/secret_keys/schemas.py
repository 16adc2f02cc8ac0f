"""Requests of station secret keys."""

from __future__ import annotations

from pydantic import Field

from opsuite.core.fields import Id
from opsuite.core.text import RulesModel


class SecretKeyCreate(RulesModel):
    """`POST /api/station-secret-keys`: the key the cabinet signs its frames with (printable ASCII)."""

    station_id: Id
    key_value: str = Field(min_length=4, max_length=64, pattern=r"^[\x21-\x7e]+$")
