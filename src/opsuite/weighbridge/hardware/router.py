"""Routes of the hardware: status, manual gate commands, the current weight, snapshots, the status feed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, WebSocket
from fastapi.responses import Response

from opsuite.weighbridge.deps import CurrentUser
from opsuite.weighbridge.errors import error_responses
from opsuite.weighbridge.hardware import service
from opsuite.weighbridge.hardware.schemas import GateAction, GateOut, HardwareStatus, ScalesOut
from opsuite.weighbridge.process.bridge import HARDWARE_TOPIC
from opsuite.weighbridge.process.deps import BridgeDep
from opsuite.weighbridge.process.live import serve_feed

router = APIRouter(prefix="/hardware", tags=["hardware"])

GateId = Annotated[int, Path(ge=1, le=4, description="1 Вход 1, 2 Вход 2, 3 Выход 1, 4 Выход 2")]
CameraId = Annotated[int, Path(ge=1, le=2, description="1 камера въезда, 2 камера выезда")]


@router.get(
    "/status",
    response_model=HardwareStatus,
    responses=error_responses(401, 503),
    summary="Статус оборудования",
)
def hardware_status(_user: CurrentUser, bridge: BridgeDep) -> HardwareStatus:
    return service.status(bridge)


@router.post(
    "/gates/{gate_id}/{action}",
    response_model=GateOut,
    responses=error_responses(401, 503),
    summary="Управление шлагбаумом",
)
def command_gate(gate_id: GateId, action: GateAction, _user: CurrentUser, bridge: BridgeDep) -> GateOut:
    """Команда уходит на контроллер; 503, если контроллер недоступен."""
    return service.command_gate(bridge, gate_id, action)


@router.get(
    "/scales/current", response_model=ScalesOut, responses=error_responses(401, 503), summary="Текущий вес"
)
def current_weights(_user: CurrentUser, bridge: BridgeDep) -> ScalesOut:
    return service.current_weights(bridge)


@router.get(
    "/cameras/snapshot/{camera_id}",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}}, "description": "JPEG"}, **error_responses(401, 503, 504)},
    summary="Снимок с камеры",
)
def camera_snapshot(camera_id: CameraId, _user: CurrentUser, bridge: BridgeDep) -> Response:
    """Кадр берёт бэкенд (HTTP-снимок камеры), так что браузеру не нужен доступ в подсеть камер."""
    return Response(
        service.snapshot(bridge, camera_id), media_type="image/jpeg", headers={"Cache-Control": "no-store"}
    )


@router.websocket("/ws")
async def hardware_ws(websocket: WebSocket) -> None:
    """Статус оборудования при изменении и не реже раза в секунду (`?token=`; не в документе)."""
    await serve_feed(websocket, HARDWARE_TOPIC)
