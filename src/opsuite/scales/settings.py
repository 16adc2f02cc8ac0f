"""Scales settings, read from `OPSUITE_SCALES_*`."""

from __future__ import annotations

import ipaddress
from typing import ClassVar

from pydantic import Field, IPvAnyNetwork
from pydantic_settings import SettingsConfigDict

from opsuite.core.settings import SystemSettings
from opsuite.core.throttle import LoginThrottleSettings
from opsuite.scales.crypto import read_or_create_fernet_key
from opsuite.scales.fleet.network import PRIVATE_NETWORKS, NetworkPolicy

# The React client's Vite dev server; the original's example .env lists the same two origins.
CLIENT_ORIGINS = ["http://localhost:5173", "http://127.0.0.1:5173"]


class ScalesSettings(SystemSettings, LoginThrottleSettings):
    """Settings of the scales system."""

    system: ClassVar[str] = "scales"
    model_config = SettingsConfigDict(env_prefix="OPSUITE_SCALES_", env_file=".env", extra="ignore")

    cors_origins: list[str] = Field(default_factory=lambda: list(CLIENT_ORIGINS))
    access_token_minutes: int = 1440
    allow_registration: bool = True
    register_attempts_per_address: int = 10
    """Registrations from one client address per login window (each costs an Argon2 hash)."""

    fernet_key: str | None = None
    """One Fernet key, or several separated by commas (the first encrypts; all decrypt, for rotation)."""
    generate_fernet_key: bool = True
    """Without a configured key, generate one under var/ (laptops); off in production to demand a key."""

    timezone: str = "Europe/Moscow"
    """The store's time zone: auto-update dates and daily run times are in it."""
    default_interval_minutes: int = 1440
    scheduler_enabled: bool = True
    scheduler_tick_seconds: float = 30.0

    scale_timeout: float = 5.0
    scale_deadline: float = 12.0
    clear_database_on_upload: bool = False

    device_networks: list[IPvAnyNetwork] = Field(
        default_factory=lambda: [ipaddress.ip_network(net) for net in PRIVATE_NETWORKS]
    )
    """Networks devices may live in (checked at create/update and on the resolved address at connect)."""
    device_host_names: bool = False
    """Allow a device's `ip` to be a host name (its resolved addresses must still lie in the networks)."""

    simulator: bool = True
    """Start one scale simulator in-process with the app, so the demo device answers on a laptop."""
    simulator_host: str = "127.0.0.1"
    simulator_port: int = 1111

    @property
    def device_lock_seconds(self) -> float:
        """How long a device lock lives if its holder dies: well past one operation's deadline."""
        return self.scale_deadline * 2 + 10

    @property
    def network_policy(self) -> NetworkPolicy:
        """Where devices may live, as the fleet checks it."""
        return NetworkPolicy(networks=tuple(self.device_networks), host_names=self.device_host_names)

    @property
    def fernet_keys(self) -> list[str]:
        """The configured keys, or one generated once under var/; empty when neither is allowed."""
        if self.fernet_key:
            return [key.strip() for key in self.fernet_key.split(",") if key.strip()]
        if not self.generate_fernet_key:
            return []
        return [read_or_create_fernet_key(self.core.var_dir / "scales.fernet")]
