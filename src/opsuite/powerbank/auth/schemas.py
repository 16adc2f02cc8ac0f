"""Requests of registration, login and the profile."""

from __future__ import annotations

from pydantic import Field

from opsuite.core.fields import Text
from opsuite.core.text import RulesModel
from opsuite.powerbank.fields import Email, Password, Phone


class RegisterRequest(RulesModel):
    """`POST /api/auth/register`: the client sends phone, e-mail and name; a password is optional."""

    fio: Text | None = Field(default=None, max_length=255)
    phone_e164: Phone
    email: Email
    password: Password | None = None


class LoginRequest(RulesModel):
    """`POST /api/auth/login`; any string is accepted here so that every failure is the one 401."""

    phone_e164: Text = Field(max_length=64)
    password: Text = Field(max_length=1024)


class ProfileUpdate(RulesModel):
    """`PUT /api/auth/profile`: name and e-mail; a new password needs the current one. Phone is fixed."""

    fio: Text | None = Field(default=None, max_length=255)
    email: Email | None = None
    password: Password | None = None
    current_password: Text | None = Field(default=None, max_length=1024)
