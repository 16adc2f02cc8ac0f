"""Routes of power banks: `/api/powerbanks` list, create, read, update, delete, approve."""

from __future__ import annotations

from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Query

from opsuite.core.fields import MAX_ID
from opsuite.powerbank.deps import CallerDep, RuntimeDep, SessionDep
from opsuite.powerbank.envelope import PageDep, mirrored, ok, paginated
from opsuite.powerbank.errors import error_responses
from opsuite.powerbank.powerbanks import service
from opsuite.powerbank.powerbanks.schemas import PowerbankApprove, PowerbankCreate, PowerbankUpdate
from opsuite.powerbank.timefmt import shown
from opsuite.powerbank.vocab import PowerbankStatus

router = APIRouter(prefix="/api/powerbanks", tags=["Повербанки"])
BankIdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="Id повербанка")]
ERRORS = error_responses(400, 401, 403, 404)


def bank_row(view: service.BankView, zone: ZoneInfo) -> dict[str, Any]:
    """A row of `GET /api/powerbanks` and the body of one bank (`id` and `powerbank_id` both)."""
    bank = view.bank
    return {
        "id": bank.id,
        "powerbank_id": bank.id,
        "org_unit_id": bank.org_unit_id,
        "org_unit_name": view.unit_name,
        "serial_number": bank.serial_number,
        "display_serial": bank.display_serial,
        "soh": bank.soh,
        "status": bank.status,
        "write_off_reason": bank.write_off_reason,
        "created_at": shown(bank.created_at, zone),
    }


@router.get("", responses=error_responses(400, 401, 403), summary="Список повербанков")
def list_banks(
    session: SessionDep,
    caller: CallerDep,
    runtime: RuntimeDep,
    page: PageDep,
    status: Annotated[PowerbankStatus | None, Query()] = None,
    org_unit_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> dict[str, Any]:
    views, total = service.list_banks(
        session, caller=caller, page=page, status=status, org_unit_id=org_unit_id
    )
    return paginated([bank_row(view, runtime.zone) for view in views], total, page)


@router.post("", status_code=201, responses=error_responses(400, 401, 403), summary="Создание повербанка")
def create_bank(
    body: PowerbankCreate, session: SessionDep, caller: CallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    view = service.create_bank(session, caller=caller, new=body, now=runtime.clock.now())
    return mirrored(bank_row(view, runtime.zone), service.BANK_CREATED, "id", "powerbank_id")


@router.get("/{powerbank_id:int}", responses=ERRORS, summary="Повербанк по ID")
def get_bank(
    powerbank_id: BankIdPath, session: SessionDep, caller: CallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    return ok(bank_row(service.view_bank(session, caller=caller, bank_id=powerbank_id), runtime.zone))


@router.put("/{powerbank_id:int}", responses=ERRORS, summary="Обновление повербанка")
def update_bank(
    powerbank_id: BankIdPath,
    body: PowerbankUpdate,
    session: SessionDep,
    caller: CallerDep,
    runtime: RuntimeDep,
) -> dict[str, Any]:
    view = service.update_bank(
        session, caller=caller, bank_id=powerbank_id, change=body, now=runtime.clock.now()
    )
    return ok(bank_row(view, runtime.zone), service.BANK_UPDATED)


@router.delete("/{powerbank_id:int}", responses=ERRORS, summary="Удаление повербанка")
def delete_bank(
    powerbank_id: BankIdPath, session: SessionDep, caller: CallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    service.delete_bank(session, caller=caller, bank_id=powerbank_id, now=runtime.clock.now())
    return ok({"powerbank_id": powerbank_id}, service.BANK_DELETED)


@router.put("/{powerbank_id:int}/approve", responses=ERRORS, summary="Подтверждение повербанка")
def approve_bank(
    powerbank_id: BankIdPath,
    body: PowerbankApprove,
    session: SessionDep,
    caller: CallerDep,
    runtime: RuntimeDep,
) -> dict[str, Any]:
    view = service.approve_bank(
        session, caller=caller, bank_id=powerbank_id, approval=body, now=runtime.clock.now()
    )
    return ok(bank_row(view, runtime.zone), service.BANK_APPROVED)
