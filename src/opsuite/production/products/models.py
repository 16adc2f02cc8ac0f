"""The `products` table."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from opsuite.core.db import UTCDateTime
from opsuite.production.base import Base, Entity

if TYPE_CHECKING:
    from opsuite.production.batches.models import Batch


class Product(Entity, Base):
    """A marked unit; `unique_code` is unique across all batches (a marking code names one unit)."""

    __tablename__ = "products"

    unique_code: Mapped[str] = mapped_column(String(255), unique=True)
    batch_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("batches.uuid", ondelete="CASCADE"), index=True
    )
    is_aggregated: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    aggregated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    batch: Mapped[Batch] = relationship(back_populates="products")
