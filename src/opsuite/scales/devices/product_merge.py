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
    merged = copy_product_file(stored)
    merge_into(merged, copy_product_file(uploaded))
    return merged


def merge_into(stored: dict[str, Any], uploaded: dict[str, Any]) -> None:
    """merge_product_files in place, for a caller that owns both files (no copies; uploaded is consumed)."""
    # Our model of export type 01 ("keep the database"); the firmware's actual rule is not documented.
    for key, value in uploaded.items():
        current = stored.get(key)
        if isinstance(current, list) and isinstance(value, list):
            stored[key] = _upsert(current, value)
        else:
            stored[key] = value


def _identity(item: Any) -> tuple[str, str, Any] | None:
    if isinstance(item, dict):
        for key in _IDENTITY_KEYS:
            if key in item:
                value = item[key]
                kind = type(value)
                # Exact int and str are compared as they are; anything else by its JSON spelling, so that
                # 1, 1.0, True and "1" stay four different ids, as they are on the wire.
                if kind is int or kind is str:
                    return key, kind.__name__, value
                return key, "json", json.dumps(value)
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
