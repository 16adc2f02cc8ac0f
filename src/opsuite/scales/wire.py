"""Bounds of what a request may carry: ids the database can hold and text it can store (core's rule)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import AfterValidator, Field

from opsuite.core.text import check_text

MAX_ID = 2**31 - 1
"""The largest id an INTEGER column holds on SQLite and PostgreSQL alike; a larger one would overflow."""


Text = Annotated[str, AfterValidator(check_text)]
"""A request string the database can store (core's text rule: no NUL, no lone surrogate)."""

DeviceId = Annotated[int, Path(ge=1, le=MAX_ID, description="The device's id")]
BodyId = Annotated[int, Field(ge=1, le=MAX_ID)]
