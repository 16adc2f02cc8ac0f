"""Routes of the weighing process: start, confirm, reset, and the live `/process/ws` feed."""

from __future__ import annotations

from fastapi import APIRouter, WebSocket

from opsuite.weighbridge.deps import CurrentUser, RuntimeDep, SessionDep
from opsuite.weighbridge.errors import error_responses
from opsuite.weighbridge.process import visits
from opsuite.weighbridge.process.bridge import PROCESS_TOPIC
from opsuite.weighbridge.process.deps import BridgeDep
from opsuite.weighbridge.process.live import serve_feed
from opsuite.weighbridge.process.schemas import ConfirmIn, ConfirmOut, ResetOut, StartIn, StartOut
from opsuite.weighbridge.process.snapshots import after_confirm, photo_sink

router = APIRouter(prefix="/process", tags=["process"])


@router.post(
    "/start",
    response_model=StartOut,
    responses=error_responses(400, 401, 409, 503),
    summary="Ручной запуск взвешивания",
)
def start(
    body: StartIn, _user: CurrentUser, session: SessionDep, runtime: RuntimeDep, bridge: BridgeDep
) -> StartOut:
    """Машина на территории продолжает свой визит, иначе создаётся новый; `ENTERING`, открывается въезд."""
    return visits.start(session, bridge, truck_number=body.truck_number, now=runtime.clock.now())


@router.post(
    "/confirm",
    response_model=ConfirmOut,
    responses=error_responses(401, 404, 409, 503),
    summary="Подтверждение веса",
)
def confirm(
    body: ConfirmIn, user: CurrentUser, session: SessionDep, runtime: RuntimeDep, bridge: BridgeDep
) -> ConfirmOut:
    """Первое взвешивание визита — ENTRANCE, второе — EXIT (визит завершается); 409 с причиной отказа."""
    return visits.confirm(
        session,
        bridge,
        body=body,
        operator_id=user.id,
        now=runtime.clock.now(),
        after=after_confirm(bridge, photo_sink(runtime)),
    )


@router.post("/reset", response_model=ResetOut, responses=error_responses(401, 503), summary="Сброс процесса")
def reset(_user: CurrentUser, bridge: BridgeDep) -> ResetOut:
    """Возврат в `IDLE` из любого состояния; шлагбаумы процесса закрываются."""
    bridge.reset()
    return ResetOut()


@router.websocket("/ws")
async def process_ws(websocket: WebSocket) -> None:
    """Состояние процесса каждые 200 мс (`?token=`; без токена — закрытие 1008)."""
    await serve_feed(websocket, PROCESS_TOPIC)
