"""Wire shape of the operation log."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, field_serializer

from opsuite.scales.timefmt import iso_z


class OperationOut(BaseModel):
    """One logged operation."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    operation: str
    status: str
    http_status: int
    detail: str | None

    @field_serializer("at")
    def _at(self, value: datetime) -> str:
        return iso_z(value)
