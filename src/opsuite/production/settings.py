"""Production settings, read from `OPSUITE_PRODUCTION_*`."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from pydantic import Field, IPvAnyNetwork
from pydantic_settings import SettingsConfigDict

from opsuite.core.netguard import AddressPolicy
from opsuite.core.settings import SystemSettings


class ProductionSettings(SystemSettings):
    """Settings of the production system."""

    system: ClassVar[str] = "production"
    model_config = SettingsConfigDict(env_prefix="OPSUITE_PRODUCTION_", env_file=".env", extra="ignore")

    cors_origins: list[str] = Field(default_factory=lambda: ["*"])

    api_key_cache_seconds: float = 5.0
    """How long the active API keys are cached per process: a new or revoked key takes effect within this."""

    scheduler_enabled: bool = True
    scheduler_tick_seconds: float = 5.0
    job_workers: int = 4

    files_dir: Path | None = None
    """Where generated reports, exports and uploaded imports live (default: var/production-files)."""
    files_retention_days: int = 30
    import_max_bytes: int = 10 * 1024 * 1024
    import_max_unpacked_bytes: int = 64 * 1024 * 1024
    """An xlsx import whose members unpack past this is refused before it is parsed."""
    import_max_cells: int = 1_000_000
    """An xlsx import whose sheet spans more cells (last row x last column) is refused before it is parsed;
    with the two defaults, reading peaked at 104 MB in the worst case measured (1M strings, 64 MB of XML)."""

    dashboard_refresh_seconds: int = 300
    strict_close: bool = False
    """The original's rule: close only a batch with products, all aggregated (off: the document's example)."""

    webhook_retry_base_seconds: float = 1.0
    webhook_retry_cap_seconds: float = 300.0
    webhook_sweep_after_seconds: float = 30.0
    webhook_max_timeout_seconds: int = 30
    webhook_max_retry_count: int = 10
    webhook_lock_margin_seconds: float = 60.0
    """How long a claim outlives the longest timeout before a crashed sender's attempt is taken up again."""
    webhook_allow_private_networks: bool = False
    """Let webhooks reach private networks (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7), for on-site
    receivers. Loopback, link-local (169.254.169.254), multicast and reserved addresses stay refused."""
    webhook_allowed_networks: list[IPvAnyNetwork] = Field(default_factory=list)
    """Networks webhooks may reach whatever they are (e.g. `["10.20.0.0/16"]`, or `["127.0.0.1/32"]` for a
    receiver on this host); everything else not globally routable is refused at subscription and send time."""
    webhook_response_excerpt_chars: int = Field(default=256, ge=0, le=4096)
    """Characters of a receiver's reply kept in the deliveries log."""
    webhook_max_in_flight_per_target: int = Field(default=16, ge=1)
    """Attempts in flight to one receiver (scheme, host, port) at most, of the sender's 64: a slow receiver
    cannot take every slot from the others."""

    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "production@localhost"
    smtp_starttls: bool = True
    smtp_timeout_seconds: float = 30.0

    @property
    def webhook_address_policy(self) -> AddressPolicy:
        """Where webhook deliveries may connect."""
        return AddressPolicy.of(
            allow_private=self.webhook_allow_private_networks, allowed=self.webhook_allowed_networks
        )

    @property
    def files_path(self) -> Path:
        """The directory of stored files."""
        return (self.files_dir or self.core.var_dir / "production-files").resolve()
