"""Routes of devices: CRUD, the connection test and the operation log."""

from __future__ import annotations

from fastapi import APIRouter, Response

from opsuite.core.web.deps import SessionDep
from opsuite.scales.deps import RuntimeDep, UserId
from opsuite.scales.errors import SCALE_FAILURES, error_responses
from opsuite.scales.fields import CreatedDeviceId, DeviceId
from opsuite.scales.fleet import service
from opsuite.scales.fleet.schemas import DeviceCreate, DeviceInfoOut, DeviceOut, DeviceUpdate
from opsuite.scales.oplog.schemas import OperationOut

router = APIRouter(prefix="/devices", tags=["devices"])


@router.get(
    "", response_model=list[DeviceOut], responses=error_responses(401), summary="Устройства пользователя"
)
def list_devices(session: SessionDep, user_id: UserId) -> list[DeviceOut]:
    return [DeviceOut.model_validate(d) for d in service.list_devices(session, user_id=user_id)]


@router.post(
    "",
    status_code=201,
    response_model=DeviceOut,
    responses=error_responses(401, 409),
    summary="Добавить устройство",
)
def create_device(body: DeviceCreate, session: SessionDep, runtime: RuntimeDep, user_id: UserId) -> DeviceOut:
    device = service.create_device(
        session, runtime.cipher, user_id=user_id, new=body, policy=runtime.settings.network_policy
    )
    return DeviceOut.model_validate(device)


@router.get(
    "/{device_id}", response_model=DeviceOut, responses=error_responses(401, 404), summary="Одно устройство"
)
def get_device(device_id: DeviceId, session: SessionDep, user_id: UserId) -> DeviceOut:
    return DeviceOut.model_validate(service.owned(session, user_id=user_id, device_id=device_id))


@router.put(
    "/{device_id}",
    response_model=DeviceOut,
    responses=error_responses(401, 404, 409),
    summary="Изменить устройство",
)
def update_device(
    device_id: DeviceId, body: DeviceUpdate, session: SessionDep, runtime: RuntimeDep, user_id: UserId
) -> DeviceOut:
    device = service.update_device(
        session,
        runtime.cipher,
        user_id=user_id,
        device_id=device_id,
        change=body,
        policy=runtime.settings.network_policy,
    )
    return DeviceOut.model_validate(device)


@router.delete(
    "/{device_id}", status_code=204, responses=error_responses(401, 404), summary="Удалить устройство"
)
def delete_device(device_id: CreatedDeviceId, session: SessionDep, user_id: UserId) -> Response:
    """Пример удаляет весы 2: их создаёт пример `POST /devices` на свежих демо-данных (без него ответ 404)."""
    service.delete_device(session, user_id=user_id, device_id=device_id)
    return Response(status_code=204)


@router.post(
    "/{device_id}/test",
    response_model=DeviceInfoOut,
    responses=error_responses(401, 404, 409, *SCALE_FAILURES),
    summary="Спросить весы о себе (FF 17)",
)
def test_device(device_id: DeviceId, runtime: RuntimeDep, user_id: UserId) -> DeviceInfoOut:
    info = service.test_device(runtime, user_id=user_id, device_id=device_id)
    return DeviceInfoOut.model_validate(info, from_attributes=True)


@router.get(
    "/{device_id}/log",
    response_model=list[OperationOut],
    responses=error_responses(401, 404),
    summary="Последние операции устройства",
)
def operation_log(device_id: DeviceId, session: SessionDep, user_id: UserId) -> list[OperationOut]:
    entries = service.operation_log(session, user_id=user_id, device_id=device_id)
    return [OperationOut.model_validate(entry) for entry in entries]
