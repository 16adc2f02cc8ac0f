"""Routes of the device settings page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body
from pydantic import BaseModel, Field

from opsuite.weighbridge.bridge_settings import service
from opsuite.weighbridge.config import BridgeConfig
from opsuite.weighbridge.deps import CurrentUser, RuntimeDep, SessionDep, SuperUser
from opsuite.weighbridge.errors import error_responses

router = APIRouter(prefix="/settings", tags=["settings"])

EXAMPLE = {"gate_close_timeout": 10000, "camera_in_ip": "192.168.1.64"}


class SettingsOut(BridgeConfig):
    """The settings as `GET /settings` shows them: the camera password masked (as a plain string)."""

    # Narrowed on purpose: SecretStr is write-only in the schema, so a shown mask would break the contract.
    camera_password: str = Field(  # type: ignore[assignment]
        description="Всегда `**********`; маска, отправленная обратно, пароль не меняет"
    )


class UpdatedOut(BaseModel):
    """The document's answer to a saved change."""

    status: str = "updated"


@router.get("", response_model=SettingsOut, responses=error_responses(401), summary="Текущие настройки")
def read_settings(_user: CurrentUser, session: SessionDep) -> dict[str, Any]:
    """Четыре ключа документа и настройки устройств; пароль камеры скрыт."""
    return service.load_config(session).model_dump(mode="json")


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
