"""Routes of a device's auto-update schedule."""

from __future__ import annotations

from fastapi import APIRouter

from opsuite.core.web.deps import SessionDep
from opsuite.scales.autoupdate import service
from opsuite.scales.autoupdate.schemas import AutoUpdateIn, AutoUpdateOut
from opsuite.scales.deps import RuntimeDep, UserId
from opsuite.scales.errors import error_responses
from opsuite.scales.fields import DeviceId

router = APIRouter(prefix="/devices/{device_id}", tags=["auto-update"])


@router.get(
    "/auto-update",
    response_model=AutoUpdateOut,
    responses=error_responses(401, 404),
    summary="Расписание автообновления устройства",
)
def get_schedule(
    device_id: DeviceId, session: SessionDep, runtime: RuntimeDep, user_id: UserId
) -> AutoUpdateOut:
    schedule = service.owned_schedule(
        session,
        user_id=user_id,
        device_id=device_id,
        default_interval_minutes=runtime.settings.default_interval_minutes,
    )
    return AutoUpdateOut.model_validate(schedule)


@router.put(
    "/auto-update",
    response_model=AutoUpdateOut,
    responses=error_responses(401, 404),
    summary="Изменить расписание автообновления (только переданные поля)",
)
def put_schedule(
    device_id: DeviceId, body: AutoUpdateIn, session: SessionDep, runtime: RuntimeDep, user_id: UserId
) -> AutoUpdateOut:
    schedule = service.configure(
        session,
        user_id=user_id,
        device_id=device_id,
        change=body,
        now=runtime.clock.now(),
        zone=runtime.zone,
        default_interval_minutes=runtime.settings.default_interval_minutes,
    )
    return AutoUpdateOut.model_validate(schedule)
