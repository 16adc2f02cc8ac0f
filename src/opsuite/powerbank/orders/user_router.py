"""The user routes of notes §2.12: own orders, borrow a bank, return by order, report damage and return."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import select

from opsuite.core.fields import MAX_ID
from opsuite.powerbank.borrow import flow
from opsuite.powerbank.borrow import messages as borrow_messages
from opsuite.powerbank.borrow.router import BorrowCaller
from opsuite.powerbank.deps import CallerDep, RuntimeDep, SessionDep
from opsuite.powerbank.envelope import ok
from opsuite.powerbank.errors import error_responses
from opsuite.powerbank.orders.models import Order
from opsuite.powerbank.returns import reports
from opsuite.powerbank.returns import service as returns
from opsuite.powerbank.timefmt import shown

router = APIRouter(prefix="/api", tags=["Пользователь"])
DAMAGE_REPORTED = "Повреждение зарегистрировано. Вставьте повербанк в станцию в течение {seconds} секунд."


class UserBorrow(BaseModel):
    powerbank_id: int = Field(ge=1, le=MAX_ID)
    station_id: int = Field(ge=1, le=MAX_ID)


class UserReturn(BaseModel):
    order_id: int = Field(ge=1, le=MAX_ID)
    station_id: int = Field(ge=1, le=MAX_ID)


class Damage(BaseModel):
    station_id: int = Field(ge=1, le=MAX_ID)
    description: str | None = Field(default=None, max_length=2000)


@router.get("/user/orders", responses=error_responses(401), summary="Мои заказы")
def my_orders(session: SessionDep, caller: CallerDep, runtime: RuntimeDep) -> dict[str, Any]:
    rows = session.scalars(
        select(Order)
        .where(Order.user_id == caller.user_id, Order.deleted_at.is_(None))
        .order_by(Order.id.desc())
    ).all()
    orders = [
        {
            "order_id": order.id,
            "powerbank": {"powerbank_id": order.powerbank_id, "serial_number": order.powerbank_serial},
            "station": {"station_id": order.station_id, "box_id": order.station_box_id},
            "status": order.status,
            "borrow_time": shown(order.borrowed_at or order.timestamp, runtime.zone),
            "return_time": shown(order.completed_at, runtime.zone) if order.status == "return" else None,
        }
        for order in rows
    ]
    return ok({"orders": orders, "count": len(orders)})


@router.post(
    "/user/powerbanks/borrow", responses=error_responses(400, 401, 403, 404), summary="Взять повербанк"
)
async def borrow_bank(body: UserBorrow, runtime: RuntimeDep, caller: BorrowCaller) -> dict[str, Any]:
    reservation = await flow.borrow(
        runtime, caller, user_id=None, station_id=body.station_id, slot=None, powerbank_id=body.powerbank_id
    )
    message = borrow_messages.ISSUED.format(serial=reservation.serial, slot=reservation.slot)
    data = {
        "message": message,
        "order_id": reservation.order_id,
        "powerbank_serial": reservation.serial,
        "station_box_id": reservation.box_id,
    }
    return ok(data, message)


WINDOW_ERRORS = error_responses(400, 401, 403, 404)


@router.post("/user/powerbanks/return", responses=WINDOW_ERRORS, summary="Вернуть заказ")
def return_order(
    body: UserReturn, session: SessionDep, caller: CallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    seconds = runtime.settings.return_confirmation_timeout_seconds
    order, opened = returns.open_for_order(
        session,
        caller=caller,
        order_id=body.order_id,
        station_id=body.station_id,
        now=runtime.clock.now(),
        seconds=seconds,
    )
    return ok(window_data(order, opened, runtime.zone), returns.STARTED.format(seconds=f"{seconds:g}"))


@router.post("/return-damage", responses=WINDOW_ERRORS, summary="Возврат с повреждением")
def return_damaged(
    body: Damage, session: SessionDep, caller: CallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    seconds = runtime.settings.return_confirmation_timeout_seconds
    order, opened = reports.report_damage(
        session,
        caller=caller,
        station_id=body.station_id,
        description=body.description,
        now=runtime.clock.now(),
        seconds=seconds,
    )
    return ok(window_data(order, opened, runtime.zone), DAMAGE_REPORTED.format(seconds=f"{seconds:g}"))


def window_data(order: Order, opened: returns.Opened, zone: ZoneInfo) -> dict[str, Any]:
    """`{order_id, powerbank_id, station_id, timestamp}` of an opened return window."""
    return {
        "order_id": order.id,
        "powerbank_id": order.powerbank_id,
        "station_id": opened.window.station_id,
        "timestamp": shown(opened.window.opened_at, zone),
    }
