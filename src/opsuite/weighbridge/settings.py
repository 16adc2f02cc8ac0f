"""Weighbridge settings from `OPSUITE_WEIGHBRIDGE_*` (device settings live in the database: config.py)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from opsuite.core.limits import MiB
from opsuite.core.settings import SystemSettings
from opsuite.core.throttle import LoginThrottleSettings


class WeighbridgeSettings(SystemSettings, LoginThrottleSettings):
    """Settings of the weighbridge system."""

    system: ClassVar[str] = "weighbridge"
    model_config = SettingsConfigDict(env_prefix="OPSUITE_WEIGHBRIDGE_", env_file=".env", extra="ignore")

    access_token_minutes: int = 720
    """An operator's shift and a half: a token outlives a shift, not a week."""
    timezone: str = "Asia/Tashkent"
    """The site's time zone: report dates and photo folders are in it."""
    photo_max_bytes: int = Field(default=5 * MiB, ge=1024)
    """Largest photo `/integration/camera/image` accepts."""
    devices: bool = True
    """This process owns the bridge's devices (one owner per bridge; other workers answer 503 on them)."""
    simulators: bool = True
    """Start the simulated site (indicator, Modbus module, two cameras); default settings point at it."""
    static_dir: Path | None = None
    """Where photos are stored; `var/weighbridge-static` when unset."""

    @property
    def static_root(self) -> Path:
        """The folder served at `/api/v1/static/`."""
        return self.static_dir or self.core.var_dir / "weighbridge-static"
