"""Wire shapes of registration and login."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

from opsuite.core.fields import Text
from opsuite.core.text import RulesModel
from opsuite.scales import messages

# A pragmatic address check: the original used EmailStr; email-validator is not a dependency here.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class RegisterRequest(RulesModel):
    """A new user's e-mail and password."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"email": "cashier@example.com", "password": "cashier123"}]}
    )

    email: Text = Field(max_length=255)
    password: Text = Field(min_length=8, max_length=128)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if not _EMAIL.fullmatch(value):
            raise ValueError(messages.EMAIL)
        return value


class UserOut(BaseModel):
    """A registered user."""

    id: int
    email: str


class Token(BaseModel):
    """A bearer token."""

    access_token: str
    token_type: str = "bearer"
