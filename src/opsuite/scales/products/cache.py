"""The product cache: the scale's whole file kept as JSON text, so unknown keys survive untouched."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from opsuite.scales import messages
from opsuite.scales.fleet.models import Device

EMPTY: dict[str, Any] = {"products": []}


class BadProductFile(ValueError):
    """A product file the system cannot work with (no products list, duplicate PLUs)."""


def load(device: Device) -> dict[str, Any]:
    """The cached file, or `{"products": []}` when nothing was fetched yet."""
    if device.products_cache_json is None:
        return {"products": []}
    data: dict[str, Any] = json.loads(device.products_cache_json)
    return data


def store(device: Device, data: dict[str, Any], *, dirty: bool, now: datetime) -> None:
    """Replace the cached file and its unsent-changes flag; a clean file is also what the scale has."""
    device.products_cache_json = json.dumps(data, ensure_ascii=False)
    device.cached_dirty = dirty
    device.cache_updated_at = now
    if not dirty:
        device.products_synced_json = device.products_cache_json


def mark_synced(device: Device) -> None:
    """The scale accepted the cached file: no unsent changes, and it is the file to go back to."""
    device.cached_dirty = False
    device.products_synced_json = device.products_cache_json


def discard_changes(device: Device, *, now: datetime) -> None:
    """Go back to the file as the scale last had it (none known: no cache, as before the first fetch)."""
    if device.cached_dirty:
        device.products_cache_json = device.products_synced_json
        device.cached_dirty = False
        device.cache_updated_at = now


def products(data: dict[str, Any]) -> list[Any]:
    """The products list of a file; BadProductFile when it is not a list."""
    items = data.get("products") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise BadProductFile(messages.PRODUCTS_NOT_A_LIST)
    return items


def iter_products(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The product objects of a file (anything else in the list is skipped)."""
    return (item for item in products(data) if isinstance(item, dict))


def check_unique_plu(data: dict[str, Any]) -> None:
    """BadProductFile naming the first pluNumber that occurs twice; products without one are skipped."""
    seen: set[str] = set()
    for item in iter_products(data):
        if "pluNumber" not in item or item["pluNumber"] is None:
            continue
        key = str(item["pluNumber"])
        if key in seen:
            raise BadProductFile(messages.DUPLICATE_PLU.format(plu=key))
        seen.add(key)
