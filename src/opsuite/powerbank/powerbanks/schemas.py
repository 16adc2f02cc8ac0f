"""Requests of power banks: create, partial update, approve."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from opsuite.core.text import RulesModel
from opsuite.powerbank.fields import OptionalUnitId
from opsuite.powerbank.powerbanks.serials import canonical_serial
from opsuite.powerbank.vocab import PowerbankStatus, WriteOffReason

Serial = Annotated[str, Field(min_length=12, max_length=16), AfterValidator(canonical_serial)]
Soh = Annotated[int, Field(ge=0, le=100)]


class PowerbankCreate(RulesModel):
    """`POST /api/powerbanks`."""

    serial_number: Serial
    org_unit_id: OptionalUnitId = None
    soh: Soh | None = None
    status: PowerbankStatus = PowerbankStatus.UNKNOWN
    write_off_reason: WriteOffReason = WriteOffReason.NONE


class PowerbankUpdate(RulesModel):
    """`PUT /api/powerbanks/{id}`: only the fields sent change."""

    serial_number: Serial | None = None
    org_unit_id: OptionalUnitId = None
    soh: Soh | None = None
    status: PowerbankStatus | None = None
    write_off_reason: WriteOffReason | None = None


class PowerbankApprove(RulesModel):
    """`PUT /api/powerbanks/{id}/approve`: an `unknown` bank becomes `active` in a unit."""

    org_unit_id: Annotated[int, Field(ge=1, le=2**31 - 1)]
    soh: Soh | None = None
