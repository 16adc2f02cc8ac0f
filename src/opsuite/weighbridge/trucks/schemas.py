"""Wire shapes of the journal: visits with their weighings and the photos of each."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from opsuite.core.fields import Id, Text
from opsuite.core.text import RulesModel


class PhotoOut(BaseModel):
    """A photo of a weighing; `url` is served without a token."""

    id: int
    camera: int = Field(description="0 загружено клиентом, 1 камера въезда, 2 камера выезда")
    url: str


class ActionOut(BaseModel):
    """One weighing: the document's `action_type`, `weight` (kg) and `status`, and what else it carries."""

    id: int
    action_type: Literal["ENTRANCE", "EXIT"]
    weight: float
    status: Literal["COMPLETE"] = "COMPLETE"
    product_id: int | None
    operator_id: int | None
    created_at: str = Field(description="Местное время площадки с поясом, ISO 8601")
    photos: list[PhotoOut]


class TruckOut(BaseModel):
    """A visit as the journal shows it (the document's `TruckResponse`), newest weighing last."""

    id: int
    truck_number: str
    driver_name: str | None
    model: str | None
    owner_pinfl: str | None
    product_id: int | None
    is_finished: bool
    created_at: str = Field(description="Местное время площадки с поясом, ISO 8601")
    actions: list[ActionOut]


class TruckUpdate(RulesModel):
    """A correction of a visit: only the fields sent change (`product_id: null` clears the product)."""

    truck_number: Text | None = Field(default=None, min_length=1, max_length=20)
    is_finished: bool | None = None
    product_id: Id | None = None
    driver_name: Text | None = Field(default=None, max_length=120)
    model: Text | None = Field(default=None, max_length=120)
    owner_pinfl: Text | None = Field(default=None, max_length=20)


class DeletedOut(BaseModel):
    """The answer to a delete."""

    status: Literal["deleted"] = "deleted"
