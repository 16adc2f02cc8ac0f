"""Schemas of login and the current user."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from opsuite.waybills.fields import In, Out


class LoginIn(In):
    """Credentials; `client` is `web` (default) or `mobile`."""

    # The demo administrator (the login hint of `opsuite serve`), so Swagger's example logs in.
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"login": "admin", "password": "admin123", "client": "web"}]}
    )

    login: str | None = Field(default=None, examples=["admin"])
    password: str | None = Field(default=None, examples=["admin123"])
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
