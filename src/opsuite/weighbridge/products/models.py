"""Products (cargo kinds) a visit or a weighing may carry."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from opsuite.weighbridge.base import Base


class Product(Base):
    """One cargo kind of the operators' drop-down; names are unique regardless of case."""

    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    name_key: Mapped[str] = mapped_column(String(120), unique=True)
    """The name folded to lower case, so "Ko'mir" and "KO'MIR" are one product."""
