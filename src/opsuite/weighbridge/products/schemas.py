"""Wire shapes of products."""

from __future__ import annotations

from pydantic import BaseModel, Field

from opsuite.core.fields import Text
from opsuite.core.text import RulesModel


class ProductCreate(RulesModel):
    """A new product's name."""

    name: Text = Field(min_length=1, max_length=120)


class ProductOut(BaseModel):
    """A product as the drop-down shows it."""

    id: int
    name: str
