"""Requests of role memberships."""

from __future__ import annotations

from pydantic import Field

from opsuite.core.fields import Id
from opsuite.core.text import RulesModel
from opsuite.powerbank.fields import OptionalUnitId
from opsuite.powerbank.vocab import Role


class RoleAssign(RulesModel):
    """`POST /api/user-roles`: a user's one membership (a second POST replaces the first)."""

    user_id: Id
    role: Role
    org_unit_id: OptionalUnitId = None
    admin_user_id: int | None = Field(default=None, description="Игнорируется: администратор — из токена")
