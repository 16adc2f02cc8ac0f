"""Order routes: `GET /api/orders` (plain users get their own) and `GET /api/orders/{id}`."""

from __future__ import annotations

from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Query

from opsuite.core.fields import MAX_ID
from opsuite.powerbank.deps import CallerDep, RuntimeDep, SessionDep
from opsuite.powerbank.envelope import PageDep, ok, paginated
from opsuite.powerbank.errors import error_responses
from opsuite.powerbank.orders import service
from opsuite.powerbank.orders.models import Order
from opsuite.powerbank.timefmt import shown
from opsuite.powerbank.vocab import OrderStatus

router = APIRouter(prefix="/api/orders", tags=["Заказы"])
IdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]


def order_row(order: Order, zone: ZoneInfo) -> dict[str, Any]:
    """The document's order row, `id` and `order_id` both."""
    return {
        "id": order.id,
        "order_id": order.id,
        "station_id": order.station_id,
        "user_id": order.user_id,
        "powerbank_id": order.powerbank_id,
        "slot_number": order.slot_number,
        "status": order.status,
        "failure_reason": order.failure_reason,
        "timestamp": shown(order.timestamp, zone),
        "completed_at": shown(order.completed_at, zone),
        "return_station_id": order.return_station_id,
        "station_box_id": order.station_box_id,
        "user_phone": order.user_phone,
        "user_fio": order.user_fio,
        "powerbank_serial": order.powerbank_serial,
    }


@router.get("", responses=error_responses(400, 401), summary="Список заказов")
def list_orders(
    session: SessionDep,
    caller: CallerDep,
    runtime: RuntimeDep,
    page: PageDep,
    user_id: IdQuery = None,
    station_id: IdQuery = None,
    status: OrderStatus | None = None,
) -> dict[str, Any]:
    rows, total = service.list_orders(
        session, caller=caller, page=page, user_id=user_id, station_id=station_id, status=status
    )
    return paginated([order_row(order, runtime.zone) for order in rows], total, page)


@router.get("/{order_id:int}", responses=error_responses(401, 404), summary="Заказ")
def get_order(
    order_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    session: SessionDep,
    caller: CallerDep,
    runtime: RuntimeDep,
) -> dict[str, Any]:
    return ok(order_row(service.get_order(session, caller=caller, order_id=order_id), runtime.zone))


active_router = APIRouter(prefix="/api/return", tags=["Возврат повербанков"])


@active_router.get(
    "/stations/{station_id:int}/active-orders",
    responses=error_responses(401, 404),
    summary="Активные заказы станции",
)
def active_orders(
    station_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    session: SessionDep,
    caller: CallerDep,
    runtime: RuntimeDep,
) -> dict[str, Any]:
    rows = [
        {
            "order_id": order.id,
            "station_id": order.station_id,
            "user_id": order.user_id,
            "powerbank_id": order.powerbank_id,
            "status": order.status,
            "timestamp": shown(order.timestamp, runtime.zone),
        }
        for order in service.active_at_station(session, caller=caller, station_id=station_id)
    ]
    return {"success": True, "orders": rows, "count": len(rows)}
