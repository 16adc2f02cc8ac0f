"""Requests of user administration."""

from __future__ import annotations

from pydantic import AliasChoices, Field

from opsuite.core.fields import Id, Text
from opsuite.core.text import RulesModel
from opsuite.powerbank.fields import Email, OptionalUnitId, Password, Phone
from opsuite.powerbank.vocab import Role, UserStatus


class ApproveRequest(RulesModel):
    """`POST /api/admin/approve-user`: the role and unit are applied (the original ignored both)."""

    user_id: Id
    role: Role = Role.USER
    org_unit_id: OptionalUnitId = None
    admin_user_id: int | None = Field(default=None, description="Игнорируется: администратор — из токена")


class RejectRequest(RulesModel):
    """`POST /api/admin/reject-user`: the reason is kept."""

    user_id: Id
    reason: Text | None = Field(default=None, max_length=1000)
    admin_user_id: int | None = Field(default=None, description="Игнорируется: администратор — из токена")


class UserWrite(RulesModel):
    """`POST /api/users` and `PUT /api/users/{id}` (a full replace; `password` optional on PUT)."""

    fio: Text | None = Field(default=None, max_length=255)
    phone_e164: Phone
    email: Email
    role: Role = Role.USER
    status: UserStatus = UserStatus.ACTIVE
    password: Password | None = None
    powerbank_limit: int | None = Field(
        default=None,
        ge=0,
        le=1000,
        validation_alias=AliasChoices("powerbank_limit", "individual_limit"),
        description="Личный лимит; null — лимит группы",
    )
    parent_org_unit_id: OptionalUnitId = None
