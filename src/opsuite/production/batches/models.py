"""The `batches` table."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from opsuite.core.db import UTCDateTime
from opsuite.production.base import Base, Entity

if TYPE_CHECKING:
    from opsuite.production.products.models import Product


class Batch(Entity, Base):
    """A shift job: what to produce, when, where; `(batch_number, batch_date)` is unique."""

    __tablename__ = "batches"
    __table_args__ = (UniqueConstraint("batch_number", "batch_date", name="uq_batch_number_date"),)

    is_closed: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    task_description: Mapped[str] = mapped_column(String(255))
    work_center_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("work_centers.uuid"), index=True)
    shift: Mapped[str] = mapped_column(String(255), index=True)
    team: Mapped[str] = mapped_column(String(255))
    batch_number: Mapped[int] = mapped_column(Integer, index=True)
    batch_date: Mapped[date] = mapped_column(Date, index=True)
    nomenclature: Mapped[str] = mapped_column(String(255))
    ekn_code: Mapped[str] = mapped_column(String(255))
    shift_start: Mapped[datetime] = mapped_column(UTCDateTime())
    shift_end: Mapped[datetime] = mapped_column(UTCDateTime())

    products: Mapped[list[Product]] = relationship(
        back_populates="batch",
        order_by="Product.created_at, Product.uuid",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
