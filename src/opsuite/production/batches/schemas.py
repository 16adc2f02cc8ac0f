"""Batch bodies: requests take flat `shift_start`/`shift_end`, answers show `shift_time_range`."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, field_validator, model_validator

from opsuite.core.fields import MAX_ID
from opsuite.production import demo_ids
from opsuite.production.common.schemas import TEXT, EntityOut, In, UTCInput, examples, non_blank
from opsuite.production.products.schemas import ProductOut

SHIFT_ORDER = "Время окончания смены должно быть позже времени начала"

TaskDescription = Annotated[str, TEXT, non_blank("Описание задачи не может быть пустым")]
Shift = Annotated[str, TEXT, non_blank("Смена не может быть пустой")]
Team = Annotated[str, TEXT, non_blank("Бригада не может быть пустой")]
Nomenclature = Annotated[str, TEXT, non_blank("Номенклатура не может быть пустой")]
EknCode = Annotated[str, TEXT, non_blank("Код ЕКН не может быть пустым")]
UniqueCode = Annotated[str, TEXT, non_blank("Уникальный код не может быть пустым")]

EXAMPLE_ID = "550e8400-e29b-41d4-a716-446655440000"
# A batch of a number the demo data does not have, in the demo's work center WC-001.
CREATE_EXAMPLE: dict[str, Any] = {
    "task_description": "Выпуск: Ряженка 4% 0,5 л",
    "shift": "1",
    "team": "Бригада А",
    "batch_number": 1010,
    "batch_date": "2025-01-20",
    "nomenclature": "Ряженка 4% 0,5 л",
    "ekn_code": "EKN-1010",
    "shift_start": "2025-01-20T08:00:00Z",
    "shift_end": "2025-01-20T20:00:00Z",
    "work_center_id": str(demo_ids.WORK_CENTERS["WC-001"]),
}


def _positive(value: int | None) -> int | None:
    if value is not None and value <= 0:
        raise ValueError("Номер партии должен быть положительным числом")
    return value


class BatchCreate(In):
    """A new batch."""

    model_config = examples(CREATE_EXAMPLE)

    task_description: TaskDescription
    shift: Shift
    team: Team
    batch_number: int = Field(le=MAX_ID)
    batch_date: date
    nomenclature: Nomenclature
    ekn_code: EknCode
    shift_start: UTCInput
    shift_end: UTCInput
    work_center_id: uuid.UUID

    _number = field_validator("batch_number")(_positive)

    @model_validator(mode="after")
    def _check(self) -> BatchCreate:
        if self.shift_end <= self.shift_start:
            raise ValueError(SHIFT_ORDER)
        return self


class BatchUpdate(In):
    """A partial change; `is_closed` closes or reopens."""

    # Applied to demo batch 1002 (open): a new description and team, the batch stays open.
    model_config = examples(
        {"task_description": "Выпуск: Кефир 2,5% 0,9 л (уточнено)", "team": "Бригада Б", "is_closed": False}
    )

    task_description: TaskDescription | None = None
    shift: Shift | None = None
    team: Team | None = None
    batch_number: int | None = Field(default=None, le=MAX_ID)
    batch_date: date | None = None
    nomenclature: Nomenclature | None = None
    ekn_code: EknCode | None = None
    shift_start: UTCInput | None = None
    shift_end: UTCInput | None = None
    work_center_id: uuid.UUID | None = None
    is_closed: bool | None = None

    _number = field_validator("batch_number")(_positive)

    @model_validator(mode="after")
    def _check(self) -> BatchUpdate:
        if self.shift_start and self.shift_end and self.shift_end <= self.shift_start:
            raise ValueError(SHIFT_ORDER)
        return self


class CloseIn(In):
    """When the batch was closed (default: now)."""

    model_config = examples({"closed_at": "2025-01-20T20:00:00Z"})

    closed_at: UTCInput | None = None


class AggregateIn(In):
    """When the products were aggregated (default: now)."""

    model_config = examples({"aggregated_at": "2025-01-20T18:00:00Z"})

    aggregated_at: UTCInput | None = None


class AggregateAsyncIn(In):
    """When, and which codes (default: every product of the batch)."""

    model_config = examples(
        {"aggregated_at": "2025-01-20T18:00:00Z", "unique_codes": ["DEMO-1003-001", "DEMO-1003-002"]}
    )

    aggregated_at: UTCInput | None = None
    unique_codes: list[UniqueCode] | None = Field(default=None, max_length=100_000)


class ProductIn(In):
    """The marking code of the product to add."""

    model_config = examples({"unique_code": "DEMO-1002-004"})

    unique_code: UniqueCode


class ShiftRange(BaseModel):
    """The shift's start and end."""

    start: datetime
    end: datetime


class BatchOut(EntityOut):
    """A batch with its products."""

    model_config = examples(
        {
            "uuid": EXAMPLE_ID,
            "created_at": "2025-01-15T10:30:00Z",
            "updated_at": "2025-01-15T11:00:00Z",
            "is_closed": False,
            "closed_at": None,
            **{k: v for k, v in CREATE_EXAMPLE.items() if k not in ("shift_start", "shift_end")},
            "shift_time_range": {"start": "2025-01-20T08:00:00Z", "end": "2025-01-20T20:00:00Z"},
            "products": [
                {
                    "uuid": "660e8400-e29b-41d4-a716-446655440001",
                    "created_at": "2025-01-15T10:35:00Z",
                    "updated_at": None,
                    "unique_code": "PROD-001",
                    "batch_id": EXAMPLE_ID,
                    "is_aggregated": False,
                    "aggregated_at": None,
                }
            ],
        }
    )

    is_closed: bool
    closed_at: datetime | None
    task_description: str
    shift: str
    team: str
    batch_number: int
    batch_date: date
    nomenclature: str
    ekn_code: str
    shift_time_range: ShiftRange
    work_center_id: uuid.UUID
    products: list[ProductOut]

    @model_validator(mode="before")
    @classmethod
    def _shift_range(cls, value: Any) -> Any:
        if hasattr(value, "shift_start"):
            return {
                **{name: getattr(value, name) for name in cls.model_fields if name != "shift_time_range"},
                "shift_time_range": {"start": value.shift_start, "end": value.shift_end},
            }
        return value
