"""Schemas of login and the current user."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from opsuite.waybills.fields import In, Out


class LoginIn(In):
    """Credentials; `client` is `web` (default) or `mobile`."""

    login: str | None = Field(default=None, examples=["driver1"])
    password: str | None = Field(default=None, examples=["12345"])
    client: Literal["web", "mobile"] = Field(default="web", examples=["web"])


class LoginUser(Out):
    """The user as the login answer shows it."""

    id: int
    login: str
    role: int | None = Field(validation_alias="role_id")
    name: str
    surname: str
    last_name: str


class LoginOut(Out):
    """An access token and who it belongs to."""

    access: str
    user: LoginUser
