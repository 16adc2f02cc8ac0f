"""Return routes (notes §2.6): announce a return, wait for the cabinet to confirm it (200, or 408)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from opsuite.core.fields import MAX_ID
from opsuite.powerbank.borrow.router import BorrowCaller
from opsuite.powerbank.deps import CallerDep, RuntimeDep, SessionDep
from opsuite.powerbank.errors import error_responses
from opsuite.powerbank.returns import reports, service
from opsuite.powerbank.returns.waiting import wait_for_return
from opsuite.powerbank.timefmt import shown
from opsuite.powerbank.vocab import ErrorType, PowerbankStatus

router = APIRouter(prefix="/api", tags=["Возврат повербанков"])
unprefixed = APIRouter(tags=["Возврат повербанков"])
"""The document's `/powerbank-error-report` (the client posts to `/api/...`: both are served)."""


class ReturnStart(BaseModel):
    station_id: int = Field(ge=1, le=MAX_ID)
    user_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    powerbank_id: int = Field(ge=1, le=MAX_ID)


class ReturnWait(BaseModel):
    station_id: int = Field(ge=1, le=MAX_ID)
    user_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    powerbank_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    message: str | None = Field(default=None, max_length=1000)
    timeout_seconds: float | None = None
    """Sent by the client; ignored (the window is the server's setting)."""


class ErrorReport(BaseModel):
    order_id: int = Field(ge=1, le=MAX_ID)
    powerbank_id: int = Field(ge=1, le=MAX_ID)
    station_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    user_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    error_type: ErrorType
    additional_notes: str | None = Field(default=None, max_length=2000)


@router.post(
    "/powerbank-error-report", responses=error_responses(400, 401, 403, 404), summary="Отчет об ошибке"
)
@unprefixed.post(
    "/powerbank-error-report", responses=error_responses(400, 401, 403, 404), include_in_schema=False
)
def report_error(
    body: ErrorReport, session: SessionDep, caller: CallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    report, bank = reports.report_error(
        session,
        caller=caller,
        user_id=body.user_id,
        order_id=body.order_id,
        powerbank_id=body.powerbank_id,
        station_id=body.station_id,
        error_type=body.error_type,
        notes=body.additional_notes,
        now=runtime.clock.now(),
    )
    return {
        "success": True,
        "message": reports.REPORTED,
        "powerbank_id": bank.id,
        "error_type": report.error_type,
        # What the bank becomes when it is next returned (notes §3.8); until then it stays as it is.
        "new_status": PowerbankStatus.SYSTEM_ERROR.value,
        "write_off_reason": bank.write_off_reason,
        "timestamp": shown(report.created_at, runtime.zone),
    }


@router.post("/return-powerbank", responses=error_responses(400, 401, 403, 404), summary="Начать возврат")
def start_return(
    body: ReturnStart, session: SessionDep, caller: CallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    seconds = runtime.settings.return_confirmation_timeout_seconds
    opened = service.open_window(
        session,
        caller=caller,
        user_id=body.user_id,
        station_id=body.station_id,
        powerbank_id=body.powerbank_id,
        now=runtime.clock.now(),
        seconds=seconds,
    )
    return {
        "success": True,
        "message": service.STARTED.format(seconds=f"{seconds:g}"),
        "powerbank_id": body.powerbank_id,
        "serial_number": opened.serial,
        "station_id": body.station_id,
        "timestamp": shown(opened.window.opened_at, runtime.zone),
    }


@router.post(
    "/return/wait-confirmation",
    responses={**error_responses(400, 401, 403, 404), 408: {"description": service.NOT_CONFIRMED}},
    summary="Ожидание подтверждения возврата",
)
async def wait_confirmation(body: ReturnWait, runtime: RuntimeDep, caller: BorrowCaller) -> Any:
    waited = await wait_for_return(
        runtime, caller, user_id=body.user_id, station_id=body.station_id, powerbank_id=body.powerbank_id
    )
    if waited.confirmed is None:
        return JSONResponse(
            {
                "success": False,
                "station_id": body.station_id,
                "user_id": waited.user_id,
                "confirmed": False,
                "timeout": True,
                "error": service.NOT_CONFIRMED,
            },
            status_code=408,
        )
    return {
        "success": True,
        "station_id": body.station_id,
        "user_id": waited.user_id,
        "confirmed": True,
        "powerbank_id": waited.confirmed.powerbank_id,
        "slot_number": waited.confirmed.slot_number,
        "timeout": False,
    }
