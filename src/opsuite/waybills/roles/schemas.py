"""Schemas of roles and permissions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import Field, create_model

from opsuite.core.fields import Id
from opsuite.waybills.fields import In, Out, text
from opsuite.waybills.roles.flags import FLAGS


@dataclass(frozen=True)
class NoFilters:
    """The query of a list that takes no filters."""


@dataclass(frozen=True)
class ByRole:
    """The query of a user or permission list: one role's, or all."""

    role: int | None = None


class RoleIn(In):
    """A role as sent."""

    name: text(50, example="Механик")  # type: ignore[valid-type]


class RoleOut(Out):
    """A role as answered."""

    id: int
    deleted_at: dt.datetime | None
    name: str


_flag_fields: dict[str, Any] = {flag: (bool, Field(default=False)) for flag in FLAGS}
PermissionIn: type[In] = create_model(
    "PermissionIn", __base__=In, role=(Id, Field(examples=[2])), **_flag_fields
)
PermissionOut: type[Out] = create_model(  # type: ignore[call-overload]
    "PermissionOut",
    __base__=Out,
    id=(int, ...),
    deleted_at=(dt.datetime | None, ...),
    **{flag: (bool, ...) for flag in FLAGS},
    role=(int, Field(validation_alias="role_id")),
)
