"""Wire shapes of devices, as the original's DeviceCreate / DeviceUpdate / DeviceOut."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from opsuite.core.fields import Text
from opsuite.core.text import RulesModel
from opsuite.scales import messages
from opsuite.scales.devices.interface import DEFAULT_PORT, is_valid_password
from opsuite.scales.fields import DeviceAddress

PASSWORD_RULE = messages.DEVICE_PASSWORD_RULE


def _check_password(value: str | None) -> str | None:
    if value is not None and not is_valid_password(value):
        raise ValueError(PASSWORD_RULE)
    return value


class DeviceCreate(RulesModel):
    """A new device."""

    # A second device at the demo simulator: the demo has device 1 there, `opsuite serve` starts it on 1111.
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Весы 2 (симулятор)",
                    "description": "Вторые весы на том же симуляторе",
                    "ip": "127.0.0.1",
                    "port": 1111,
                    "protocol": "TCP",
                    "password": "1234",
                }
            ]
        }
    )

    name: Text = Field(min_length=1, max_length=120)
    description: Text = Field(default="", max_length=500)
    ip: DeviceAddress = Field(min_length=1, max_length=64)
    port: int = Field(default=DEFAULT_PORT, ge=1, le=65535)
    protocol: Text = Field(default="TCP", pattern=r"^(TCP)$")
    password: Text = Field(min_length=1, max_length=64)

    _password = field_validator("password")(_check_password)


class DeviceUpdate(RulesModel):
    """Changes to a device; a missing or null field stays as it is."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"name": "Весы 1 (симулятор)"}]})

    name: Text | None = Field(default=None, min_length=1, max_length=120)
    description: Text | None = Field(default=None, max_length=500)
    ip: DeviceAddress | None = Field(default=None, min_length=1, max_length=64)
    port: int | None = Field(default=None, ge=1, le=65535)
    protocol: Text | None = Field(default=None, pattern=r"^(TCP)$")
    password: Text | None = Field(default=None, min_length=1, max_length=64)

    _password = field_validator("password")(_check_password)

    def changes(self) -> dict[str, Any]:
        """The fields given with a value."""
        return {key: value for key, value in self.model_dump().items() if value is not None}


class DeviceOut(BaseModel):
    """A device as the client reads it; never its password."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    description: str
    ip: str
    port: int
    protocol: str
    cached_dirty: bool


class DeviceInfoOut(BaseModel):
    """What a scale says about itself (FF 17)."""

    model: str | None
    serial_number: str | None
    manufacturer: str | None
    protocol_version: str | None
    app_version: str | None
    firmware_version: str | None
