"""Declarative base of every weighbridge table."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from opsuite.core.db import new_metadata


class Base(DeclarativeBase):
    """Base of every weighbridge table."""

    metadata = new_metadata()
