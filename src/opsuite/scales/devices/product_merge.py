"""How a scale combines an uploaded product file with the one it holds when told not to clear first."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

# Lists are matched item by item on the first of these keys an item has (categories use idCategory).
_IDENTITY_KEYS = ("id", "idCategory")


def copy_product_file(data: Mapping[str, Any]) -> dict[str, Any]:
    """A deep, JSON-clean copy, so callers never share mutable state with a device."""
    copied = json.loads(json.dumps(data, ensure_ascii=False))
    if not isinstance(copied, dict):
        raise TypeError("a product file must be a JSON object")
    return copied


def merge_product_files(stored: Mapping[str, Any], uploaded: Mapping[str, Any]) -> dict[str, Any]:
    """Upsert uploaded lists into the stored ones by item id; other uploaded keys replace; the rest stays."""
    # Our model of export type 01 ("keep the database"); the firmware's actual rule is not documented.
    merged = copy_product_file(stored)
    for key, value in copy_product_file(uploaded).items():
        current = merged.get(key)
        if isinstance(current, list) and isinstance(value, list):
            merged[key] = _upsert(current, value)
        else:
            merged[key] = value
    return merged


def _identity(item: Any) -> tuple[str, Any] | None:
    if isinstance(item, dict):
        for key in _IDENTITY_KEYS:
            if key in item:
                return key, json.dumps(item[key])
    return None


def _upsert(current: list[Any], incoming: list[Any]) -> list[Any]:
    result = list(current)
    position = {ident: i for i, item in enumerate(result) if (ident := _identity(item)) is not None}
    for item in incoming:
        ident = _identity(item)
        if ident is not None and ident in position:
            result[position[ident]] = item
        else:
            if ident is not None:
                position[ident] = len(result)
            result.append(item)
    return result
