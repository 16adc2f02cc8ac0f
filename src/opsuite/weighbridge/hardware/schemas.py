"""Wire shapes of the hardware routes, with the document's keys."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

GateAction = Literal["open", "close"]


class HardwareStatus(BaseModel):
    """`/hardware/status`: the document's keys, and whether each camera answers its snapshot probe."""

    controller: bool = Field(description="Связь с контроллером Modbus")
    gate_1: bool = Field(description="Шлагбаум 1 открыт (последняя команда или обратная связь)")
    gate_2: bool = Field(description="Шлагбаум 2 открыт")
    sensor_1: bool = Field(description="Датчик 1 активен")
    scale_connection: bool = Field(description="Связь с весовым терминалом")
    camera_1: bool = Field(description="Камера въезда отвечает (не в документе)")
    camera_2: bool = Field(description="Камера выезда отвечает (не в документе)")


class GateOut(BaseModel):
    """The answer to a gate command."""

    status: Literal["success"] = "success"
    message: str = Field(examples=["Gate 1 OPEN command sent"])


class ScalesOut(BaseModel):
    """`/hardware/scales/current`, kilograms."""

    weight_in: float = Field(description="Весы въезда (основная платформа)")
    weight_out: float = Field(description="Весы выезда, если есть; иначе 0")
