"""Job liveness settings, read from `OPSUITE_JOBS_*`: how often a run beats and when it counts as lost."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_HEARTBEAT_EVERY = timedelta(seconds=5)
# Six missed beats: a loaded SQLite writer may hold a beat back for a few seconds without it meaning death.
DEFAULT_LOST_AFTER = timedelta(seconds=30)


class JobSettings(BaseSettings):
    """Heartbeats and lost-run detection, shared by the in-process runner, Celery and maintenance."""

    model_config = SettingsConfigDict(env_prefix="OPSUITE_JOBS_", env_file=".env", extra="ignore")

    heartbeat_seconds: float = Field(default=DEFAULT_HEARTBEAT_EVERY.total_seconds(), gt=0)
    """A running job touches its `heartbeat_at` this often."""
    lost_after_seconds: float = Field(default=DEFAULT_LOST_AFTER.total_seconds(), gt=0)
    """A running job whose last heartbeat is older than this is taken for lost (its process died)."""

    @property
    def heartbeat_every(self) -> timedelta:
        """`heartbeat_seconds` as a timedelta."""
        return timedelta(seconds=self.heartbeat_seconds)

    @property
    def lost_after(self) -> timedelta:
        """`lost_after_seconds` as a timedelta."""
        return timedelta(seconds=self.lost_after_seconds)
