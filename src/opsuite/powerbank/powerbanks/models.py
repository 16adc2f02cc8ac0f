"""Power banks, the faults cabinets report on them, and users' error reports."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from opsuite.powerbank.base import Base, moment
from opsuite.powerbank.vocab import ErrorType, PowerbankStatus, WriteOffReason, one_of


class Powerbank(Base):
    """A bank: `serial_number` is the 16 hex digits of its 8 ID bytes; `display_serial` the old form."""

    __tablename__ = "powerbank"
    __table_args__ = (
        CheckConstraint(one_of("status", PowerbankStatus), name="status"),
        CheckConstraint(one_of("write_off_reason", WriteOffReason), name="write_off_reason"),
        CheckConstraint("soh IS NULL OR soh BETWEEN 0 AND 100", name="soh"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    serial_number: Mapped[str] = mapped_column(String(16), unique=True)
    display_serial: Mapped[str | None] = mapped_column(String(32), nullable=True)
    org_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("org_unit.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    soh: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default=PowerbankStatus.UNKNOWN.value, index=True)
    write_off_reason: Mapped[str] = mapped_column(String(16), default=WriteOffReason.NONE.value)
    write_off_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    power_er: Mapped[int | None] = mapped_column(Integer, nullable=True)
    missing: Mapped[bool] = mapped_column(Boolean, default=False)
    """A cabinet said it left a slot without an unlock command while no order held it."""
    activated_at: Mapped[datetime | None] = moment(nullable=True)
    deactivated_at: Mapped[datetime | None] = moment(nullable=True)
    created_at: Mapped[datetime] = moment()
    updated_at: Mapped[datetime | None] = moment(nullable=True)


class PowerbankError(Base):
    """A fault a cabinet reported for a bank (not charging, a broken cable...), open until cleared."""

    __tablename__ = "powerbank_error"

    id: Mapped[int] = mapped_column(primary_key=True)
    powerbank_id: Mapped[int] = mapped_column(ForeignKey("powerbank.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)
    detected_at: Mapped[datetime] = moment()
    cleared_at: Mapped[datetime | None] = moment(nullable=True)


class PowerbankErrorReport(Base):
    """A user's report on a rented bank; it turns the bank `system_error` when the bank is next returned."""

    __tablename__ = "powerbank_error_report"
    __table_args__ = (CheckConstraint(one_of("error_type", ErrorType), name="error_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="RESTRICT"), nullable=True)
    powerbank_id: Mapped[int] = mapped_column(ForeignKey("powerbank.id", ondelete="CASCADE"), index=True)
    station_id: Mapped[int | None] = mapped_column(
        ForeignKey("station.id", ondelete="SET NULL"), nullable=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="RESTRICT"), index=True)
    error_type: Mapped[str] = mapped_column(String(32))
    additional_notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = moment()
    resolved_at: Mapped[datetime | None] = moment(nullable=True)
    """Set when the report has been applied (bank marked) or closed by an admin."""
