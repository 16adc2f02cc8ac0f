"""Pydantic building blocks shared by the production schemas."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

from opsuite.core.text import RulesModel, UTCMoment

TEXT_MAX_LENGTH = 255

UTCInput = UTCMoment
"""Naive input is UTC, aware input is converted to UTC; the year lies in core's moment range."""


def examples(*items: Any) -> ConfigDict:
    """A model config whose JSON schema shows `items` as its examples (Swagger UI's sample bodies)."""
    return ConfigDict(json_schema_extra={"examples": list(items)})


class In(RulesModel):
    """Base of request models: core's text, number, datetime and depth rules on every field."""


def non_blank(message: str) -> AfterValidator:
    """A validator refusing a string that is empty after trimming, with the original's message."""

    def check(value: str) -> str:
        if not value.strip():
            raise ValueError(message)
        return value.strip()

    return AfterValidator(check)


TEXT = StringConstraints(max_length=TEXT_MAX_LENGTH)
"""Use as `Annotated[str, TEXT, non_blank("...")]`: a trimmed, non-blank string of at most 255 characters."""


class EntityOut(BaseModel):
    """`uuid`, `created_at`, `updated_at`, as every resource of the document starts."""

    model_config = ConfigDict(from_attributes=True)

    uuid: uuid.UUID
    created_at: datetime
    updated_at: datetime | None = None
