"""Declarative base, soft delete, and the exact 3-decimal column type of the waybills system."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Dialect, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from opsuite.core.db import UTCDateTime, new_metadata

THOUSANDTH = Decimal("0.001")


class Base(DeclarativeBase):
    """Base of every waybills table."""

    metadata = new_metadata()


class Milli(TypeDecorator[Decimal]):
    """A Decimal with exactly 3 places, stored as integer thousandths: exact on SQLite and PostgreSQL."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        return int(value.scaleb(3).to_integral_value())

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(int(value)).scaleb(-3)


class SoftDelete:
    """`deleted_at` set instead of deleting; a row with it set is gone for the API."""

    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
