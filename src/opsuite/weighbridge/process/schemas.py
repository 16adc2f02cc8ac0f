"""Wire shapes of the process routes, with the document's field names."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from opsuite.core.fields import Id, Text
from opsuite.core.text import RulesModel

MAX_WEIGHT_KG = 200_000.0
"""Above any truck scale's capacity: a typo, not a weight."""


class StartIn(RulesModel):
    """`POST /process/start`."""

    truck_number: Text = Field(min_length=1, max_length=20, examples=["01A777AA"])


class StartOut(BaseModel):
    """The visit the weighing belongs to (new, or the one of a truck still on the territory)."""

    status: Literal["started"] = "started"
    truck_id: int


class ConfirmIn(RulesModel):
    """`POST /process/confirm`: the weight the operator saw; `truck_number` corrects the plate at the end."""

    truck_id: Id
    confirmed_weight: float = Field(ge=0, le=MAX_WEIGHT_KG, allow_inf_nan=False)
    truck_number: Text | None = Field(default=None, min_length=1, max_length=20)


class ConfirmOut(BaseModel):
    """The recorded weighing; photos of both cameras are attached to `action_id` in the background."""

    status: Literal["success"] = "success"
    action_id: int


class ResetOut(BaseModel):
    """`POST /process/reset`."""

    status: Literal["reset"] = "reset"
