"""Org units: groups and their subgroups (two levels), each with its lending defaults."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from opsuite.powerbank.base import Base, moment
from opsuite.powerbank.vocab import UnitType, one_of


class OrgUnit(Base):
    """A group (no parent) or a subgroup (its parent a group); soft-deleted, never cascaded."""

    __tablename__ = "org_unit"
    __table_args__ = (
        CheckConstraint(one_of("unit_type", UnitType), name="unit_type"),
        CheckConstraint(
            "(unit_type = 'group' AND parent_id IS NULL)"
            " OR (unit_type = 'subgroup' AND parent_id IS NOT NULL)",
            name="parent_by_type",
        ),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        CheckConstraint("default_powerbank_limit >= 0", name="default_limit"),
        CheckConstraint("reminder_hours >= 1", name="reminder_hours"),
        CheckConstraint("write_off_hours >= 1", name="write_off_hours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("org_unit.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    unit_type: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(255))
    adress: Mapped[str | None] = mapped_column(String(500), nullable=True)
    logo_url: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    default_powerbank_limit: Mapped[int] = mapped_column(Integer, default=1)
    reminder_hours: Mapped[int] = mapped_column(Integer, default=24)
    write_off_hours: Mapped[int] = mapped_column(Integer, default=48)
    created_at: Mapped[datetime] = moment()
    updated_at: Mapped[datetime | None] = moment(nullable=True)
    deleted_at: Mapped[datetime | None] = moment(nullable=True)
