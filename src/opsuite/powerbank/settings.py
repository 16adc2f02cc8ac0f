"""Powerbank settings, read from `OPSUITE_POWERBANK_*`."""

from __future__ import annotations

from typing import ClassVar

from cryptography.fernet import Fernet
from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import SettingsConfigDict

from opsuite.core.settings import SystemSettings, read_or_create_secret
from opsuite.core.throttle import LoginThrottleSettings

# The Vue client's Vite dev server.
CLIENT_ORIGINS = ["http://localhost:5173", "http://127.0.0.1:5173"]
RETURN_WAIT_BOUNDS = (1.0, 60.0)


class PowerbankSettings(SystemSettings, LoginThrottleSettings):
    """Settings of the powerbank system."""

    system: ClassVar[str] = "powerbank"
    model_config = SettingsConfigDict(
        env_prefix="OPSUITE_POWERBANK_", env_file=".env", extra="ignore", populate_by_name=True
    )

    cors_origins: list[str] = Field(default_factory=lambda: list(CLIENT_ORIGINS))
    access_token_minutes: int = 1440
    """The original's tokens lived 24 h."""
    allow_registration: bool = True
    register_attempts_per_address: int = 10
    """Registrations from one client address per login window (each costs an Argon2 hash)."""
    timezone: str = "Europe/Moscow"
    """Timestamps are stored in UTC and shown with this zone's offset (the document shows +03:00)."""

    return_confirmation_timeout_seconds: float = Field(
        default=10.0,
        # The prefixed name first; the original's unprefixed name is read too (env names match any case).
        validation_alias=AliasChoices(
            "OPSUITE_POWERBANK_RETURN_CONFIRMATION_TIMEOUT_SECONDS", "RETURN_CONFIRMATION_TIMEOUT_SECONDS"
        ),
    )
    """How long `wait-confirmation` waits for the cabinet's return (clamped to 1..60 s, as the original)."""
    eject_timeout_s: float = 10.0
    command_timeout_s: float = 5.0
    offline_after_s: float = 65.0
    """A station is offline when no frame came for this long (2 heartbeats + 5 s)."""

    gateway_host: str = "127.0.0.1"
    gateway_port: int = 9066
    """Where the cabinet gateway listens (cabinets dial in); bind 127.0.0.1 on a laptop."""
    cabinets_through_redis: bool = False
    """Send cabinet commands to `opsuite gateway powerbank` processes through Redis (needs a Redis URL);
    off: this process runs the gateway itself."""
    simulators: bool = True
    """Start the demo cabinets' simulators in-process, so `opsuite serve` lends banks on any laptop."""
    simulator_delay_scale: float = 1.0
    """The simulators answer this many times as slowly as real cabinets (0: at once)."""

    key_encryption_keys: str | None = None
    """Fernet keys for station secrets, separated by commas (the first encrypts; all decrypt)."""
    generate_key_encryption_key: bool = True
    """Without configured keys, generate one under var/ (laptops); off in production to demand keys."""

    @field_validator("return_confirmation_timeout_seconds", mode="after")
    @classmethod
    def _clamp_return_wait(cls, value: float) -> float:
        low, high = RETURN_WAIT_BOUNDS
        return min(max(value, low), high)

    @property
    def fernet_keys(self) -> list[str]:
        """The configured keys, or one generated once under var/; empty when neither is allowed."""
        if self.key_encryption_keys:
            return [key.strip() for key in self.key_encryption_keys.split(",") if key.strip()]
        if not self.generate_key_encryption_key:
            return []
        path = self.core.var_dir / "powerbank.fernet"
        return [read_or_create_secret(path, lambda: Fernet.generate_key().decode())]
