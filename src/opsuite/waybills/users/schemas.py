"""Schemas of users; the password is write-only."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, Field

from opsuite.core.fields import Id
from opsuite.waybills import messages
from opsuite.waybills.fields import In, Out, text

PHONE_PATTERN = r"^\+7[0-9]{10}$"  # [0-9], not \d: \d takes any script's digits


def _phone(value: str) -> str:
    if not re.fullmatch(PHONE_PATTERN, value):
        raise ValueError(messages.PHONE_FORMAT)
    return value


Phone = Annotated[str, Field(examples=["+79001234567"]), AfterValidator(_phone)]
Password = Annotated[str, Field(min_length=1, max_length=128, examples=["12345"])]


class UserIn(In):
    """A user as sent on create."""

    name: text(40, example="Иван")  # type: ignore[valid-type]
    surname: text(40, example="Иванов")  # type: ignore[valid-type]
    last_name: text(40, example="Иванович")  # type: ignore[valid-type]
    login: text(15, example="driver1")  # type: ignore[valid-type]
    password: Password
    phone: Phone
    driver_license: text(10, example="1234567890") | None = None  # type: ignore[valid-type]
    role: Id | None = Field(default=None, examples=[3])


class UserReplace(UserIn):
    """A user as sent on PUT: the password may be left out."""

    password: Password | None = None  # type: ignore[assignment]


class UserOut(Out):
    """A user as answered (never the password)."""

    id: int
    name: str
    surname: str
    last_name: str
    login: str
    phone: str
    driver_license: str | None
    role: int | None = Field(validation_alias="role_id")
    deleted_at: dt.datetime | None


class DriverReportRow(Out):
    """One trip in the drivers report."""

    date: dt.date
    driver: str
    car_type: str
    car_number: str
    route_or_target: str
    distance: int
    fuel_used_fact: str
    fuel_used_normal: str
