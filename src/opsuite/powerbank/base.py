"""Declarative base of every powerbank table, and the `created_at`-style column every table repeats."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from opsuite.core.db import UTCDateTime, new_metadata


class Base(DeclarativeBase):
    """Base of every powerbank table."""

    metadata = new_metadata()


def moment(*, nullable: bool = False) -> Mapped[datetime]:
    """An aware UTC timestamp column."""
    return mapped_column(UTCDateTime(), nullable=nullable)
