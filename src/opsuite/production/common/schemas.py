"""Pydantic building blocks shared by the production schemas."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

TEXT_MAX_LENGTH = 255


def as_utc(value: datetime) -> datetime:
    """Naive input is UTC; aware input is converted to UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


UTCInput = Annotated[datetime, AfterValidator(as_utc)]


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
