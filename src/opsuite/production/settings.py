"""Production settings, read from `OPSUITE_PRODUCTION_*`."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from pydantic import Field
from pydantic_settings import SettingsConfigDict

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

    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "production@localhost"
    smtp_starttls: bool = True
    smtp_timeout_seconds: float = 30.0

    @property
    def files_path(self) -> Path:
        """The directory of stored files."""
        return (self.files_dir or self.core.var_dir / "production-files").resolve()
