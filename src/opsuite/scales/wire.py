"""Bounds of what a request may carry: ids the database can hold and text it can store."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import AfterValidator, Field

MAX_ID = 2**31 - 1
"""The largest id an INTEGER column holds on SQLite and PostgreSQL alike; a larger one would overflow."""


def check_text(value: str) -> str:
    """The value unchanged; ValueError for a NUL (PostgreSQL cannot store it) or a lone surrogate."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    if any("\ud800" <= char <= "\udfff" for char in value):
        raise ValueError("must be valid Unicode text")
    return value


Text = Annotated[str, AfterValidator(check_text)]
"""A request string the database can store."""

DeviceId = Annotated[int, Path(ge=1, le=MAX_ID, description="The device's id")]
BodyId = Annotated[int, Field(ge=1, le=MAX_ID)]
