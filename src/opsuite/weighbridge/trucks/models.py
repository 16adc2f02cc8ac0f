"""Visits (one truck record from entry to exit), their weighings (actions) and the photos of each weighing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from opsuite.core.clock import utcnow
from opsuite.core.db import UTCDateTime
from opsuite.weighbridge.base import Base

ENTRANCE = "ENTRANCE"
EXIT = "EXIT"

# The partial index's condition, the same SQL on SQLite and PostgreSQL.
OPEN_VISIT = text("NOT is_finished AND deleted_at IS NULL")

CAMERA_UPLOAD = 0
"""`Photo.camera` of a photo a client pushed; 1 and 2 are the entry and exit cameras the backend shot."""


class Truck(Base):
    """A visit: a truck's stay on the territory, weighed once on entry and once on exit."""

    __tablename__ = "trucks"
    __table_args__ = (
        # At most one open visit per plate: a second start of the same truck continues its visit.
        Index(
            "uq_trucks_open_number_key",
            "number_key",
            unique=True,
            sqlite_where=OPEN_VISIT,
            postgresql_where=OPEN_VISIT,
        ),
        Index("ix_trucks_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    truck_number: Mapped[str] = mapped_column(String(20))
    """As typed by the operator or read by the camera."""
    number_key: Mapped[str] = mapped_column(String(20))
    """`trucks/plates.number_key` of the number: what lookups and the open-visit index compare."""
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("products.id", ondelete="SET NULL"), nullable=True
    )
    driver_name: Mapped[str | None] = mapped_column(String(120), nullable=True)
    model: Mapped[str | None] = mapped_column(String(120), nullable=True)
    owner_pinfl: Mapped[str | None] = mapped_column(String(20), nullable=True)
    is_finished: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    actions: Mapped[list[Action]] = relationship(
        back_populates="truck", order_by="Action.id", cascade="all, delete-orphan", passive_deletes=True
    )


class Action(Base):
    """One weighing of a visit: the ENTRANCE (first pass) or the EXIT (second pass), at most one of each."""

    __tablename__ = "actions"
    __table_args__ = (
        UniqueConstraint("truck_id", "action_type", name="uq_actions_truck_id_action_type"),
        CheckConstraint("action_type IN ('ENTRANCE', 'EXIT')", name="action_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    truck_id: Mapped[int] = mapped_column(ForeignKey("trucks.id", ondelete="CASCADE"), index=True)
    action_type: Mapped[str] = mapped_column(String(10))
    weight: Mapped[float] = mapped_column(Float)
    """Kilograms."""
    operator_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("products.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    truck: Mapped[Truck] = relationship(back_populates="actions")
    photos: Mapped[list[Photo]] = relationship(order_by="Photo.id", passive_deletes=True)


class Photo(Base):
    """A JPEG of a weighing, stored under the static folder at `path`."""

    __tablename__ = "photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    camera: Mapped[int] = mapped_column(Integer)
    """0 pushed by a client, 1 the entry camera, 2 the exit camera."""
    path: Mapped[str] = mapped_column(String(100), unique=True)
    """Relative to the static root: `weighing/YYYY/MM/DD/<32 hex>.jpg`."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


__all__ = ["CAMERA_UPLOAD", "ENTRANCE", "EXIT", "Action", "Photo", "Truck"]
