"""The bridge's device settings (`config.BridgeConfig`) as one JSON row, so every worker reads the same."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Text
from sqlalchemy.orm import Mapped, mapped_column

from opsuite.core.clock import utcnow
from opsuite.core.db import UTCDateTime
from opsuite.weighbridge.base import Base

ROW_ID = 1


class BridgeSettingsRow(Base):
    """The one row of device settings; absent until the first save (the defaults apply until then)."""

    __tablename__ = "bridge_settings"
    __table_args__ = (CheckConstraint(f"id = {ROW_ID}", name="one_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[str] = mapped_column(Text)
    """`BridgeConfig.model_dump_json()`."""
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
