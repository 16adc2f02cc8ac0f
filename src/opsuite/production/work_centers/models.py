"""The `work_centers` table."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from opsuite.production.base import Base, Entity


class WorkCenter(Entity, Base):
    """A line or shop where batches are produced; `identifier` is unique."""

    __tablename__ = "work_centers"

    identifier: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str] = mapped_column(String(255))
