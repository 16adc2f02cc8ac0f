"""The product cache of a device: fetch from the scale, read, edit one PLU, upload to the scale."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from opsuite.scales import messages
from opsuite.scales.errors import BadCache, Conflict, FieldInvalid, NotFound, ScaleFailed
from opsuite.scales.fleet import service as fleet_service
from opsuite.scales.fleet.device_io import call_scale, connection_params
from opsuite.scales.fleet.operation import device_operation
from opsuite.scales.products import cache
from opsuite.scales.products.editable import EDITABLE, FieldRejected, LeaveUnchanged
from opsuite.scales.products.schemas import ProductPatch
from opsuite.scales.runtime import Runtime


def cached(session: Session, *, user_id: int, device_id: int) -> dict[str, Any]:
    """The cached product file of the user's device."""
    return cache.load(fleet_service.owned(session, user_id=user_id, device_id=device_id))


def fetch(runtime: Runtime, *, user_id: int, device_id: int, force: bool = False) -> dict[str, Any]:
    """Read the scale's product file into the cache; unsent edits are kept unless `force`."""
    fleet_service.check_owned(runtime.database, user_id=user_id, device_id=device_id)
    with device_operation(runtime, device_id, "fetch"):
        return download(runtime, device_id=device_id, force=force)


def download(runtime: Runtime, *, device_id: int, force: bool) -> dict[str, Any]:
    """The fetch itself, for a caller that already holds the device's lock."""
    with runtime.database.session(write=False) as session:
        device = fleet_service.get_device(session, device_id=device_id)
        if device.cached_dirty and not force:
            raise Conflict(messages.DIRTY.format(device_id=device_id))
        params = connection_params(runtime, device)
    data = call_scale(runtime, params, lambda scale: scale.fetch_products())
    try:
        cache.check_unique_plu(data)
    except cache.BadProductFile as exc:
        where = f"{params.host}:{params.port}"
        raise ScaleFailed(messages.SCALE_BAD_FILE.format(where=where, reason=exc)) from exc
    with runtime.database.session() as session:
        device = fleet_service.get_device(session, device_id=device_id)
        cache.store(device, data, dirty=False, now=runtime.clock.now())
    return data


def upload(runtime: Runtime, *, user_id: int, device_id: int) -> None:
    """Push the cached file to the scale; the cache is clean only once the scale accepted it."""
    fleet_service.check_owned(runtime.database, user_id=user_id, device_id=device_id)
    with device_operation(runtime, device_id, "upload"):
        push(runtime, device_id=device_id)


def push(runtime: Runtime, *, device_id: int) -> None:
    """The upload itself, for a caller that already holds the device's lock."""
    with runtime.database.session(write=False) as session:
        device = fleet_service.get_device(session, device_id=device_id)
        if device.products_cache_json is None:
            raise Conflict(messages.NO_CACHE)
        data = cache.load(device)
        params = connection_params(runtime, device)
    try:
        cache.check_unique_plu(data)
    except cache.BadProductFile as exc:
        raise Conflict(messages.CANNOT_UPLOAD.format(reason=exc)) from exc
    clear = runtime.settings.clear_database_on_upload
    call_scale(runtime, params, lambda scale: scale.push_products(data, clear_database=clear))
    with runtime.database.session() as session:
        device = fleet_service.get_device(session, device_id=device_id)
        cache.mark_synced(device)
        device.last_pushed_at = runtime.clock.now()


def discard(runtime: Runtime, *, user_id: int, device_id: int) -> dict[str, Any]:
    """Drop unsent edits: the cache goes back to the file as the scale last had it (no scale call)."""
    fleet_service.check_owned(runtime.database, user_id=user_id, device_id=device_id)
    with device_operation(runtime, device_id, "discard"), runtime.database.session() as session:
        device = fleet_service.get_device(session, device_id=device_id)
        cache.discard_changes(device, now=runtime.clock.now())
        return cache.load(device)


def patch(
    runtime: Runtime, *, user_id: int, device_id: int, plu: str, change: ProductPatch
) -> dict[str, Any]:
    """Edit whitelisted fields of the product with that PLU; the cache becomes dirty."""
    fleet_service.check_owned(runtime.database, user_id=user_id, device_id=device_id)
    with device_operation(runtime, device_id, "patch"), runtime.database.session() as session:
        device = fleet_service.get_device(session, device_id=device_id)
        data = cache.load(device)
        product = _find(data, plu)
        changes = validate(change.fields)
        new_plu = changes.get("pluNumber")
        if new_plu is not None and str(new_plu) != plu and _find_or_none(data, str(new_plu)) is not None:
            raise Conflict(messages.PLU_TAKEN.format(plu=new_plu))
        product.update(changes)
        if ("shelfLife" in changes or "shelfLifeType" in changes) and "shelfLifeInDays" in product:
            product["shelfLifeInDays"] = _days(product)
        cache.store(device, data, dirty=True, now=runtime.clock.now())
        return data


def validate(fields: dict[str, Any]) -> dict[str, Any]:
    """The checked values to set; FieldInvalid (422) naming the first unknown or bad field."""
    changes: dict[str, Any] = {}
    for key, value in fields.items():
        check = EDITABLE.get(key)
        if check is None:
            raise FieldInvalid(("body", "fields", key), messages.NOT_EDITABLE, value)
        try:
            changes[key] = check(value)
        except LeaveUnchanged:
            continue
        except FieldRejected as exc:
            raise FieldInvalid(("body", "fields", key), str(exc), value) from None
    return changes


def _days(product: dict[str, Any]) -> Any:
    shelf = product.get("shelfLife")
    if product.get("shelfLifeType") == "HOURS" and isinstance(shelf, int):
        return shelf // 24
    return shelf


def _find_or_none(data: dict[str, Any], plu: str) -> dict[str, Any] | None:
    try:
        items = cache.iter_products(data)
        return next((p for p in items if "pluNumber" in p and str(p["pluNumber"]) == plu), None)
    except cache.BadProductFile:
        raise BadCache(messages.BAD_CACHE) from None


def _find(data: dict[str, Any], plu: str) -> dict[str, Any]:
    product = _find_or_none(data, plu)
    if product is None:
        raise NotFound(messages.PRODUCT_NOT_FOUND)
    return product
