"""Waybills settings, read from `OPSUITE_WAYBILLS_*`."""

from __future__ import annotations

from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from opsuite.core.settings import SystemSettings
from opsuite.core.throttle import LoginThrottleSettings


class WaybillsSettings(SystemSettings, LoginThrottleSettings):
    """Settings of the waybills system."""

    system: ClassVar[str] = "waybills"
    model_config = SettingsConfigDict(env_prefix="OPSUITE_WAYBILLS_", env_file=".env", extra="ignore")

    access_token_minutes: int = 60
