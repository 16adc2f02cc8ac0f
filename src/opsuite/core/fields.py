"""Field types every system's request models share: ids the database can hold, text it can store."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from opsuite.core.text import check_text

MAX_ID = 2**31 - 1
"""The largest id an INTEGER column holds on SQLite and PostgreSQL alike; a larger one would overflow."""

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
"""A database id in a body or query."""

Text = Annotated[str, AfterValidator(check_text)]
"""A request string the database can store (no NUL, no lone surrogate, bounded length)."""
