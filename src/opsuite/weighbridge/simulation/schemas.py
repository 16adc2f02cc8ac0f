"""Wire shapes of the simulator control API."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from opsuite.core.fields import Text
from opsuite.core.text import RulesModel
from opsuite.weighbridge.process.schemas import MAX_WEIGHT_KG
from opsuite.weighbridge.simulation.site import SimulatedDevice


class TruckIn(RulesModel):
    """A truck drives onto the simulated platform; with `anpr` the entry camera reads its plate."""

    truck_number: Text | None = Field(default=None, min_length=1, max_length=20, examples=["01A777AA"])
    weight: float = Field(gt=0, le=MAX_WEIGHT_KG, allow_inf_nan=False, examples=[24500.0])
    anpr: bool = False


class FaultIn(RulesModel):
    """A device misbehaves: `scale`, `controller`, `camera_1`, `camera_2` with `none|silent|noise|disconnect`
    (each simulator's own words are accepted too: indicator/modbus, error, ok, slow, not_jpeg)."""

    device: SimulatedDevice = Field(examples=["scale"])
    fault: Text = Field(max_length=20, examples=["silent"])


class SimulatorOut(BaseModel):
    """What the simulated site shows now."""

    status: Literal["ok"] = "ok"
    weight: float
    sensors: list[int]
    coils: list[int] = Field(description="Реле модуля 0-7 (шлагбаумы)")
    faults: dict[str, str]
    anpr: dict[str, object] | None = Field(
        default=None, description="Что сделал приём ANPR, если номер читался"
    )
