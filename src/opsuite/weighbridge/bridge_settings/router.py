"""Routes of the device settings page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body
from pydantic import BaseModel, Field, create_model

from opsuite.weighbridge.bridge_settings import service
from opsuite.weighbridge.config import BridgeConfig
from opsuite.weighbridge.deps import CurrentUser, RuntimeDep, SessionDep, SuperUser
from opsuite.weighbridge.errors import error_responses

router = APIRouter(prefix="/settings", tags=["settings"])

EXAMPLE = {"gate_close_timeout": 10000, "camera_in_ip": "192.168.1.64"}


MASKED = Field(description="Всегда `**********`; маска, отправленная обратно, пароль не меняет")
_SHOWN_FIELDS: dict[str, Any] = {
    name: (str, MASKED) if name == "camera_password" else (field.annotation, field)
    for name, field in BridgeConfig.model_fields.items()
}
# BridgeConfig's fields (types, limits, defaults), none of its validators or serializers, the password a plain
# string: BridgeConfig keeps it as a write-only secret, and a shown mask would break that part of the schema.
SettingsOut = create_model(
    "SettingsOut", __doc__="Every device setting, the camera password masked.", **_SHOWN_FIELDS
)


class UpdatedOut(BaseModel):
    """The document's answer to a saved change."""

    status: str = "updated"


@router.get("", response_model=SettingsOut, responses=error_responses(401), summary="Текущие настройки")
def read_settings(_user: CurrentUser, session: SessionDep) -> dict[str, Any]:
    """Четыре ключа документа и настройки устройств; пароль камеры скрыт."""
    return service.shown(service.load_config(session))


@router.put("", response_model=UpdatedOut, responses=error_responses(401, 403), summary="Обновление настроек")
def update_settings(
    changes: Annotated[
        dict[str, Any], Body(examples=[{"gate_close_timeout": 10000, "camera_in_ip": "192.168.1.64"}])
    ],
    _admin: SuperUser,
    runtime: RuntimeDep,
) -> UpdatedOut:
    """Только администратор. Частичное тело: меняются переданные ключи; применяется сразу."""
    service.update_settings(runtime.database, changes, bridge=runtime.bridge, now=runtime.clock.now())
    return UpdatedOut()
