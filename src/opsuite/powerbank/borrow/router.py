"""Borrow routes (notes §2.5): by slot and by bank. Async: the cabinet wait holds no connection or thread."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, Field

from opsuite.core.fields import MAX_ID
from opsuite.powerbank.access import Caller
from opsuite.powerbank.borrow import flow, station_view
from opsuite.powerbank.borrow import messages as m
from opsuite.powerbank.borrow.optimal import REASON, Choice, choose
from opsuite.powerbank.borrow.service import Reservation, usable_station
from opsuite.powerbank.deps import CallerDep, RuntimeDep, SessionDep, bearer
from opsuite.powerbank.errors import error_responses

router = APIRouter(prefix="/api/borrow", tags=["Выдача повербанков"])
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]


class SlotBorrow(BaseModel):
    user_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    slot_number: int = Field(ge=1, le=255)


class BankBorrow(BaseModel):
    user_id: int | None = Field(default=None, ge=1, le=MAX_ID)


async def borrow_caller(
    request: Request,
    runtime: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Caller:
    """The caller, authenticated in a transaction that ends before the cabinet is asked."""
    token = credentials.credentials if credentials is not None else None
    return await flow.caller_of_token(runtime, token, request.app.state.signing_key)


BorrowCaller = Annotated[Caller, Depends(borrow_caller)]


def issued(reservation: Reservation) -> dict[str, Any]:
    """The document's answer to a borrow."""
    return {
        "success": True,
        "message": m.ISSUED.format(serial=reservation.serial, slot=reservation.slot),
        "order_id": reservation.order_id,
        "station_id": reservation.station_id,
        "slot_number": reservation.slot,
        "powerbank_id": reservation.powerbank_id,
        "serial_number": reservation.serial,
        "user_id": reservation.user_id,
    }


@router.post(
    "/stations/{station_id:int}/request",
    responses=error_responses(400, 401, 403, 404),
    summary="Выдача повербанка из слота",
)
async def borrow_from_slot(
    station_id: IdPath, body: SlotBorrow, runtime: RuntimeDep, caller: BorrowCaller
) -> dict[str, Any]:
    reservation = await flow.borrow(
        runtime, caller, user_id=body.user_id, station_id=station_id, slot=body.slot_number
    )
    return issued(reservation)


@router.post(
    "/powerbanks/{powerbank_id:int}/request",
    responses=error_responses(400, 401, 403, 404),
    summary="Выдача конкретного повербанка",
)
async def borrow_bank(
    powerbank_id: IdPath, body: BankBorrow, runtime: RuntimeDep, caller: BorrowCaller
) -> dict[str, Any]:
    reservation = await flow.borrow(
        runtime, caller, user_id=body.user_id, station_id=None, slot=None, powerbank_id=powerbank_id
    )
    return issued(reservation)


@router.get(
    "/stations/{station_id:int}/select-optimal",
    responses=error_responses(400, 401, 403, 404),
    summary="Выбор оптимального повербанка",
)
def select_optimal(station_id: IdPath, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    usable_station(session, caller, station_id)
    choice = choose(session, station_id)
    return {
        "success": True,
        "selected_powerbank": choice.best.row(),
        "selection_reason": REASON,
        **counts(choice),
    }


def counts(choice: Choice) -> dict[str, object]:
    """The counts behind a choice, as `select-optimal` shows them."""
    info = choice.info()
    return {key: info[key] for key in ("total_available", "healthy_count", "error_count")}


@router.post(
    "/stations/{station_id:int}/request-optimal",
    responses=error_responses(400, 401, 403, 404),
    summary="Выдача оптимального повербанка",
)
async def borrow_optimal(
    station_id: IdPath, body: BankBorrow, runtime: RuntimeDep, caller: BorrowCaller
) -> dict[str, Any]:
    reservation = await flow.borrow(
        runtime, caller, user_id=body.user_id, station_id=station_id, slot=None, optimal=True
    )
    return {**issued(reservation), "selection_info": reservation.selection}


@router.get(
    "/stations/{station_id:int}/powerbanks",
    responses=error_responses(401, 403, 404),
    summary="Доступные повербанки станции",
)
def station_powerbanks(
    station_id: IdPath, session: SessionDep, caller: CallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    rows = station_view.available(session, caller=caller, station_id=station_id, zone=runtime.zone)
    return {"success": True, "station_id": station_id, "available_powerbanks": rows, "count": len(rows)}


@router.get(
    "/stations/{station_id:int}/slots/{slot_number:int}/status",
    responses=error_responses(401, 403, 404),
    summary="Состояние слота",
)
def slot_status(
    station_id: IdPath,
    slot_number: Annotated[int, Path(ge=1, le=255)],
    session: SessionDep,
    caller: CallerDep,
) -> dict[str, Any]:
    return {
        "success": True,
        **station_view.slot_status(session, caller=caller, station_id=station_id, slot=slot_number),
    }


@router.get(
    "/stations/{station_id:int}/info", responses=error_responses(401, 403, 404), summary="Сводка станции"
)
async def station_info(station_id: IdPath, runtime: RuntimeDep, caller: BorrowCaller) -> dict[str, Any]:
    station, body = await flow.in_session(
        runtime,
        lambda session: station_view.summary(
            session, caller=caller, station_id=station_id, zone=runtime.zone
        ),
    )
    body["station"]["is_connected"] = await runtime.cabinets.online(station.box_id)
    return {"success": True, **body}
