"""Requests of favourite stations."""

from __future__ import annotations

from pydantic import Field

from opsuite.core.fields import Id, Text
from opsuite.core.text import RulesModel


class FavoriteCreate(RulesModel):
    """`POST /api/user-favorites`: a station of the caller's own (`user_id`, if sent, must be the caller)."""

    user_id: Id | None = None
    station_id: Id
    nik: Text | None = Field(default=None, max_length=255, description="Своё имя станции")
