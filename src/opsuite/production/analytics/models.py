"""The `dashboard_cache` table: the last computed dashboard, so that every API worker serves the same one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from opsuite.core.db import UTCDateTime
from opsuite.production.base import Base


class CachedFigures(Base):
    """One row per cached figure set (`dashboard`)."""

    __tablename__ = "dashboard_cache"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    cached_at: Mapped[datetime] = mapped_column(UTCDateTime())
