"""Routes of cabinet commands (notes §2.9): POSTs ask the cabinet with a bounded wait; GETs read what it said.

These endpoints are `async`: the request holds no transaction while the cabinet is asked (see service.py).
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials

from opsuite.core.fields import MAX_ID
from opsuite.powerbank.access import Caller
from opsuite.powerbank.auth import service as auth_service
from opsuite.powerbank.commands import service
from opsuite.powerbank.commands.schemas import SetServerAddress, SetVolume, StationRef
from opsuite.powerbank.deps import RuntimeDep, bearer, powerbank_runtime
from opsuite.powerbank.devices.interface import ServerAddress
from opsuite.powerbank.envelope import mirrored
from opsuite.powerbank.errors import error_responses

router = APIRouter(prefix="/api", tags=["Команды станциям"])
StationIdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="Id станции")]
ERRORS = error_responses(400, 401, 403, 404)


async def command_caller(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Caller:
    """The caller, read in a short transaction of its own (no transaction is held while a cabinet answers)."""
    runtime = powerbank_runtime(request)
    token = credentials.credentials if credentials is not None else None
    key = request.app.state.signing_key
    _user, caller = await service.in_thread(
        runtime, lambda session: auth_service.authenticate(session, token, key)
    )
    return caller


CommandCallerDep = Annotated[Caller, Depends(command_caller)]


@router.post("/restart-cabinet", responses=ERRORS, summary="Перезагрузка станции")
async def restart(body: StationRef, caller: CommandCallerDep, runtime: RuntimeDep) -> dict[str, Any]:
    answer = await service.restart(runtime, caller=caller, station_id=body.station_id)
    return mirrored(answer, service.RESTART_SENT)


@router.post("/query-inventory", responses=ERRORS, summary="Запрос инвентаризации")
async def query_inventory(body: StationRef, caller: CommandCallerDep, runtime: RuntimeDep) -> dict[str, Any]:
    answer = await service.query_inventory(runtime, caller=caller, station_id=body.station_id)
    return mirrored(answer, service.INVENTORY_DONE)


@router.get("/query-inventory/station/{station_id:int}", responses=ERRORS, summary="Последняя инвентаризация")
async def stored_inventory(
    station_id: StationIdPath, caller: CommandCallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    work = partial(service.stored_inventory, runtime=runtime, caller=caller, station_id=station_id)
    return mirrored(await service.in_thread(runtime, lambda session: work(session)))


@router.post("/query-voice-volume", responses=ERRORS, summary="Запрос громкости")
async def query_volume(body: StationRef, caller: CommandCallerDep, runtime: RuntimeDep) -> dict[str, Any]:
    answer = await service.query_volume(runtime, caller=caller, station_id=body.station_id)
    return mirrored(answer, service.VOLUME_READ)


@router.get("/query-voice-volume/station/{station_id:int}", responses=ERRORS, summary="Последняя громкость")
async def stored_volume(
    station_id: StationIdPath, caller: CommandCallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    work = partial(service.stored_volume, runtime=runtime, caller=caller, station_id=station_id)
    return mirrored(await service.in_thread(runtime, lambda session: work(session)))


@router.post("/set-voice-volume", responses=ERRORS, summary="Установка громкости")
async def set_volume(body: SetVolume, caller: CommandCallerDep, runtime: RuntimeDep) -> dict[str, Any]:
    answer = await service.set_volume(runtime, caller=caller, station_id=body.station_id, level=body.level)
    return mirrored(answer, service.VOLUME_SET)


@router.post("/query-server-address", responses=ERRORS, summary="Запрос адреса сервера")
async def query_server(body: StationRef, caller: CommandCallerDep, runtime: RuntimeDep) -> dict[str, Any]:
    answer = await service.query_server_address(runtime, caller=caller, station_id=body.station_id)
    return mirrored(answer, service.SERVER_READ)


@router.get(
    "/query-server-address/station/{station_id:int}", responses=ERRORS, summary="Последний адрес сервера"
)
async def stored_server(
    station_id: StationIdPath, caller: CommandCallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    work = partial(service.stored_server_address, runtime=runtime, caller=caller, station_id=station_id)
    return mirrored(await service.in_thread(runtime, lambda session: work(session)))


@router.post("/set-server-address", responses=ERRORS, summary="Установка адреса сервера (сервис-админ)")
async def set_server(body: SetServerAddress, caller: CommandCallerDep, runtime: RuntimeDep) -> dict[str, Any]:
    host, port = body.address_and_port()
    address = ServerAddress(host, port, body.heartbeat_interval)
    answer = await service.set_server_address(
        runtime, caller=caller, station_id=body.station_id, address=address
    )
    return mirrored(answer, service.SERVER_SET)


@router.get("/iccid/stations/{station_id:int}", responses=ERRORS, summary="ICCID станции")
async def iccid(
    station_id: StationIdPath,
    caller: CommandCallerDep,
    runtime: RuntimeDep,
    refresh: Annotated[bool, Query()] = False,
) -> dict[str, Any]:
    return mirrored(await service.iccid(runtime, caller=caller, station_id=station_id, refresh=refresh))
