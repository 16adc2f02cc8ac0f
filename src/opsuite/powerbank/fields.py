"""Field types of powerbank requests: phones, passwords, ids in paths."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Path
from pydantic import AfterValidator, BeforeValidator, Field

from opsuite.core.fields import MAX_ID

E164 = re.compile(r"\+[1-9]\d{7,14}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
PASSWORD_LENGTH = (6, 36)


def normalize_phone(value: str) -> str:
    """`+79001234567` as given; `89001234567` and `79001234567` (11 digits) become `+7...`; else refused."""
    compact = re.sub(r"[\s()\-]", "", value)
    if re.fullmatch(r"[78]\d{10}", compact):
        compact = "+7" + compact[1:]
    if not E164.fullmatch(compact):
        raise ValueError("Телефон должен быть в формате E.164, например +79001234567")
    return compact


def check_email(value: str) -> str:
    """An address of the form `name@domain.tld`, trimmed."""
    value = value.strip()
    if not EMAIL.fullmatch(value):
        raise ValueError("Неверный формат email")
    return value


def _empty_as_none(value: object) -> object:
    # The Vue client sends `parent_org_unit_id: ''` when a user has no unit.
    return None if value == "" else value


Phone = Annotated[str, Field(max_length=32), AfterValidator(normalize_phone)]
"""A phone in E.164 (`+79001234567`); Russian 11-digit forms are accepted and normalised."""

Email = Annotated[str, Field(max_length=254), AfterValidator(check_email)]
"""An e-mail address (unique without regard to case)."""

Password = Annotated[str, Field(min_length=PASSWORD_LENGTH[0], max_length=PASSWORD_LENGTH[1])]
"""A new password: 6..36 characters, as the original allowed."""

OptionalUnitId = Annotated[Annotated[int, Field(ge=1, le=MAX_ID)] | None, BeforeValidator(_empty_as_none)]
"""An org unit id, or none; `''` counts as none."""

UserIdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="Id пользователя")]
UnitIdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="Id организационной единицы")]
