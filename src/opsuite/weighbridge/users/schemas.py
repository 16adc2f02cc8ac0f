"""Wire shapes of login, the caller's profile, password change and user creation."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from opsuite.core.fields import Text
from opsuite.core.text import RulesModel

_PHONE = re.compile(r"\+?\d{7,15}")
_SEPARATORS = re.compile(r"[\s\-()]")


def normalise_phone(value: str) -> str:
    """`+998 (90) 123-45-67` as `+998901234567`; the login and the stored number are compared so."""
    compact = _SEPARATORS.sub("", value)
    return compact if compact.startswith("+") else f"+{compact}"


def check_phone(value: str) -> str:
    """A phone number of 7 to 15 digits, with an optional leading +, separators allowed; normalised."""
    if not _PHONE.fullmatch(_SEPARATORS.sub("", value)):
        raise ValueError("номер телефона: 7–15 цифр, например +998901234567")
    return normalise_phone(value)


Phone = Annotated[Text, Field(max_length=32), AfterValidator(check_phone)]


class Token(BaseModel):
    """A bearer token."""

    access_token: str
    token_type: str = "bearer"


class UserOut(BaseModel):
    """A user as `/users/me` shows it, with exactly the document's fields."""

    id: int
    phone_number: str
    is_active: bool
    is_superuser: bool
    internal_scale_id: int | None


class UserCreate(RulesModel):
    """A new user: the document's phone and password; a superuser may also grant superuser rights."""

    phone_number: Phone
    password: Text = Field(min_length=6, max_length=128)
    is_superuser: bool = False


class PasswordChange(RulesModel):
    """The current password and the new one."""

    old_password: Text = Field(max_length=128)
    new_password: Text = Field(min_length=6, max_length=128)


class StatusOut(BaseModel):
    """`{"status": "..."}`, the document's answer to commands."""

    status: str
