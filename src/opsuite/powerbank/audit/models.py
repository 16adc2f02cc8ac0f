"""The action log: who did what to which row (admins acting for users, manual orders, write-offs...)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from opsuite.powerbank.base import Base, moment


class ActionLog(Base):
    """One audited action; append-only."""

    __tablename__ = "action_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL"), nullable=True, index=True
    )
    action: Mapped[str] = mapped_column(String(64), index=True)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    details: Mapped[Any] = mapped_column(JSON, nullable=True)
    at: Mapped[datetime] = moment()
