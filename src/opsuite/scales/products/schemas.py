"""Wire shapes of the product routes: the `{"products": <whole file>}` nesting the client reads."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from opsuite.core.text import RulesModel


class ProductsResponse(BaseModel):
    """The whole product file under `products`."""

    products: Any


class ProductPatch(RulesModel):
    """Fields to change in one product."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"fields": {"price": 499.9}}]})

    fields: dict[str, Any]


class StatusOk(BaseModel):
    """A finished operation."""

    status: str = "ok"
