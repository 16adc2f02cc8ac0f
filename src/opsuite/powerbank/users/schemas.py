"""Requests of user administration."""

from __future__ import annotations

from pydantic import Field

from opsuite.core.fields import Id, Text
from opsuite.core.text import RulesModel
from opsuite.powerbank.fields import OptionalUnitId
from opsuite.powerbank.vocab import Role


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
