"""Field types of the waybills schemas: DRF-style 3-place decimals and times, bounded text and amounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, create_model

from opsuite.core.text import RulesModel


def _dec3(value: Decimal) -> str:
    return f"{value:.3f}"


def _time(value: dt.time) -> str:
    return value.strftime("%H:%M:%S")


Decimal3 = Annotated[Decimal, PlainSerializer(_dec3, return_type=str)]
TimeOut = Annotated[dt.time, PlainSerializer(_time, return_type=str)]


def text(max_length: int, *, example: str | None = None) -> Any:
    """A required non-empty string of at most `max_length` characters."""
    return Annotated[
        str,
        Field(min_length=1, max_length=max_length, examples=[example] if example else None),
    ]


def amount(max_digits: int = 6, *, example: str = "10.000") -> Any:
    """A non-negative decimal with at most 3 places, as DRF's DecimalField(max_digits, 3)."""
    return Annotated[
        Decimal,
        Field(ge=0, max_digits=max_digits, decimal_places=3, examples=[example], allow_inf_nan=False),
    ]


def count(maximum: int, *, example: int = 0) -> Any:
    """A non-negative integer up to `maximum`."""
    return Annotated[int, Field(ge=0, le=maximum, examples=[example])]


Season = Literal["summer", "winter"]


class Out(BaseModel):
    """Base of response models: read from ORM objects."""

    model_config = ConfigDict(from_attributes=True)


class In(RulesModel):
    """Base of request models: unknown keys are ignored, as DRF does; core's input rules on every field."""

    model_config = ConfigDict(extra="ignore")


def patch_model_of(model: type[In]) -> type[In]:
    """The PATCH twin of `model`: every key optional, but a sent null is still refused where it was."""
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        copy = info._copy()  # a FieldInfo keeps its constraints and examples
        copy.default = None
        copy.default_factory = None
        fields[name] = (info.annotation, copy)
    return create_model(f"Patched{model.__name__}", __base__=In, **fields)
