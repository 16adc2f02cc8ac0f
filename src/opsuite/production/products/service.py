"""Product rules: read, list, aggregate one unit."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from opsuite.production.batches import service as batches_service
from opsuite.production.batches.models import Batch
from opsuite.production.common.paging import PageParams, Sorting, fetch_page, ordered
from opsuite.production.errors import InvalidState, NotFound
from opsuite.production.products.models import Product
from opsuite.production.webhooks.delivery import WebhookOutbox

SORT_FIELDS = ("created_at", "updated_at", "unique_code", "is_aggregated", "aggregated_at")
ALREADY_AGGREGATED = "Продукт уже агрегирован"
CLOSED_BATCH = "Нельзя агрегировать продукт закрытой партии"


def get(session: Session, product_id: uuid.UUID, *, for_update: bool = False) -> Product:
    """The product, or 404."""
    product = session.get(Product, product_id, with_for_update=for_update)
    if product is None:
        raise NotFound(f"Продукт с UUID {product_id} не найден")
    return product


def list_page(
    session: Session,
    *,
    page: PageParams,
    sorting: Sorting,
    batch_id: uuid.UUID | None = None,
    is_aggregated: bool | None = None,
) -> tuple[list[Product], int]:
    """A page of products, optionally of one batch or aggregation state."""
    statement = select(Product)
    if batch_id is not None:
        statement = statement.where(Product.batch_id == batch_id)
    if is_aggregated is not None:
        statement = statement.where(Product.is_aggregated == is_aggregated)
    return fetch_page(
        session, ordered(statement, Product, sorting, resource="products", allowed=SORT_FIELDS), page
    )


def aggregate(
    session: Session,
    *,
    outbox: WebhookOutbox,
    product_id: uuid.UUID,
    aggregated_at: datetime | None,
    now: datetime,
) -> Product:
    """Aggregate one product; 409 when it is aggregated already or its batch is closed."""
    product = get(session, product_id)
    batch = session.get(Batch, product.batch_id, with_for_update=True)
    assert batch is not None  # products cascade with their batch
    session.refresh(product)
    if batch.is_closed:
        raise InvalidState(CLOSED_BATCH)
    if product.is_aggregated:
        raise InvalidState(ALREADY_AGGREGATED)
    batches_service.mark_aggregated(
        session, outbox, batch, [product], aggregated_at=aggregated_at or now, now=now, announce_batch=False
    )
    session.refresh(product)
    return product
