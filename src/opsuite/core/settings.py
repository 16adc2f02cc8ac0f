"""Base settings: paths, logging, Redis, and a database URL and secret per system."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from opsuite.core.limits import DEFAULT_BODY_LIMIT


class CoreSettings(BaseSettings):
    """Settings every system shares, read from `OPSUITE_*`."""

    model_config = SettingsConfigDict(env_prefix="OPSUITE_", env_file=".env", extra="ignore")

    var_dir: Path = Field(default_factory=lambda: default_var_dir())
    """Databases, secrets and files: `OPSUITE_VAR_DIR`, else one place whatever the working folder."""
    redis_url: str | None = None
    log_format: Literal["text", "json"] = "text"
    log_level: str = "INFO"


def default_var_dir() -> Path:
    """`var/` of the checkout opsuite runs from; installed elsewhere, the user's data folder."""
    checkout = Path(__file__).resolve().parents[3]  # src/opsuite/core/settings.py
    if (checkout / "pyproject.toml").is_file():
        return checkout / "var"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "opsuite"


class SystemSettings(BaseSettings):
    """Settings of one system; subclasses set `system` and the env prefix `OPSUITE_<SYSTEM>_`."""

    system: ClassVar[str]
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    core: CoreSettings = Field(default_factory=CoreSettings)
    database_url: str | None = None
    secret_key: str | None = None
    cors_origins: list[str] = Field(default_factory=list)
    body_limit_bytes: int = Field(default=DEFAULT_BODY_LIMIT, ge=1)
    """Largest request body a route accepts unless it declares its own cap (uploads do)."""

    @property
    def db_url(self) -> str:
        """The configured database URL, or a SQLite file under `var/`."""
        if self.database_url:
            return self.database_url
        path = (self.core.var_dir / f"{self.system}.sqlite3").resolve()
        return f"sqlite:///{path}"

    @property
    def signing_key(self) -> str:
        """The configured secret, or one generated once and kept under `var/` for every worker."""
        if self.secret_key:
            return self.secret_key
        path = self.core.var_dir / f"{self.system}.secret"
        return read_or_create_secret(path)


def read_or_create_secret(path: Path, generate: Callable[[], str] = lambda: secrets.token_urlsafe(48)) -> str:
    """Return the secret stored at `path`, creating it (from `generate`) atomically on first use."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    candidate = path.with_suffix(f".{secrets.token_hex(4)}.tmp")
    candidate.write_text(generate())
    candidate.chmod(0o600)
    try:
        # link() fails if another worker won the race; then its secret is the one to use.
        path.hardlink_to(candidate)
    except FileExistsError:
        pass
    finally:
        candidate.unlink(missing_ok=True)
    return path.read_text().strip()
