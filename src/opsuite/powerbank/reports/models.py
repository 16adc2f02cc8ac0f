"""Slot abnormal reports: a cabinet's `0x83` events, or an admin's entry of one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from opsuite.powerbank.base import Base, moment
from opsuite.powerbank.vocab import AbnormalEvent, one_of


class SlotAbnormalReport(Base):
    """`event_type` "1": a bank left without an unlock command; "2": a return detected but no bank."""

    __tablename__ = "slot_abnormal_reports"
    __table_args__ = (
        CheckConstraint(one_of("event_type", AbnormalEvent), name="event_type"),
        CheckConstraint("slot_number BETWEEN 1 AND 255", name="slot_number"),
        Index("ix_slot_abnormal_reports_station_id_reported_at", "station_id", "reported_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id", ondelete="CASCADE"))
    slot_number: Mapped[int] = mapped_column(Integer)
    terminal_id: Mapped[str] = mapped_column(String(16))
    event_type: Mapped[str] = mapped_column(String(1))
    reported_at: Mapped[datetime] = moment()
    created_at: Mapped[datetime] = moment()
