"""Orders (rentals) and return windows; the partial unique indexes make a double issue impossible."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from opsuite.powerbank.base import Base, moment
from opsuite.powerbank.vocab import ACTIVE_ORDER, OrderStatus, one_of

_ACTIVE = one_of("status", ACTIVE_ORDER)
_PENDING = one_of("status", (OrderStatus.PENDING,))


class Order(Base):
    """One rental of one bank; active (`pending`, `borrow`, `force_eject`) exactly while not completed.

    The database refuses a second active order of a bank and a second `pending` order of a user, so two
    racing borrows give one issue whatever the application does.
    """

    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint(one_of("status", OrderStatus), name="status"),
        CheckConstraint(
            f"({_ACTIVE} AND completed_at IS NULL) OR (NOT ({_ACTIVE}) AND completed_at IS NOT NULL)",
            name="completed_when_closed",
        ),
        Index(
            "uq_orders_active_powerbank",
            "powerbank_id",
            unique=True,
            sqlite_where=text(_ACTIVE),
            postgresql_where=text(_ACTIVE),
        ),
        Index(
            "uq_orders_pending_user",
            "user_id",
            unique=True,
            sqlite_where=text(_PENDING),
            postgresql_where=text(_PENDING),
        ),
        Index("ix_orders_user_id_status", "user_id", "status"),
        Index("ix_orders_station_id_status", "station_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="RESTRICT"))
    powerbank_id: Mapped[int] = mapped_column(ForeignKey("powerbank.id", ondelete="RESTRICT"), index=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id", ondelete="RESTRICT"))
    slot_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    return_station_id: Mapped[int | None] = mapped_column(
        ForeignKey("station.id", ondelete="RESTRICT"), nullable=True
    )
    return_slot_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default=OrderStatus.PENDING.value)
    failure_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    return_source: Mapped[str | None] = mapped_column(String(16), nullable=True)
    """What closed it: `cabinet` (a `0x66`), `inventory`, `admin`."""
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL"), nullable=True
    )
    """The admin who made it by hand or by a force eject; NULL for a user's own borrow."""
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Snapshots for display: rows stay readable after a user, bank or station changes.
    user_phone: Mapped[str | None] = mapped_column(String(16), nullable=True)
    user_fio: Mapped[str | None] = mapped_column(String(255), nullable=True)
    powerbank_serial: Mapped[str | None] = mapped_column(String(16), nullable=True)
    station_box_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    timestamp: Mapped[datetime] = moment()
    """When the order was made (the document's name)."""
    borrowed_at: Mapped[datetime | None] = moment(nullable=True)
    completed_at: Mapped[datetime | None] = moment(nullable=True)
    reminded_at: Mapped[datetime | None] = moment(nullable=True)
    deleted_at: Mapped[datetime | None] = moment(nullable=True)


class ReturnWindow(Base):
    """A user announced a return; `wait-confirmation` confirms from orders closed since `opened_at`."""

    __tablename__ = "return_window"
    __table_args__ = (Index("ix_return_window_user_id_station_id", "user_id", "station_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id", ondelete="CASCADE"))
    powerbank_id: Mapped[int | None] = mapped_column(
        ForeignKey("powerbank.id", ondelete="CASCADE"), nullable=True
    )
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), nullable=True)
    opened_at: Mapped[datetime] = moment()
    expires_at: Mapped[datetime] = moment()
    confirmed_order_id: Mapped[int | None] = mapped_column(
        ForeignKey("orders.id", ondelete="SET NULL"), nullable=True
    )
