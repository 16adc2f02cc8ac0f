"""Product routes."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query

from opsuite.production import demo_ids
from opsuite.production.batches.schemas import AggregateIn
from opsuite.production.common.examples import demo_path
from opsuite.production.common.paging import (
    Page,
    PageDep,
    Sorting,
    page_of,
    sorting_by,
)
from opsuite.production.deps import RuntimeDep, SessionDep
from opsuite.production.errors import error_responses
from opsuite.production.products import service
from opsuite.production.products.models import Product
from opsuite.production.products.schemas import ProductOut

SortingDep = Annotated[Sorting, Depends(sorting_by(service.SORT_FIELDS))]
router = APIRouter(prefix="/products", tags=["Products"])


@router.get("", summary="Список продуктов", response_model=Page[ProductOut], responses=error_responses(422))
def list_products(
    session: SessionDep,
    page: PageDep,
    sorting: SortingDep,
    batch_id: Annotated[uuid.UUID | None, Query(description="Только продукты этой партии")] = None,
    is_aggregated: Annotated[bool | None, Query(description="Только (не)агрегированные")] = None,
) -> Page[ProductOut]:
    """Список продуктов."""
    items, total = service.list_page(
        session, page=page, sorting=sorting, batch_id=batch_id, is_aggregated=is_aggregated
    )
    return page_of(ProductOut, items, total, page)


@router.get(
    "/{product_id}", summary="Продукт по ID", response_model=ProductOut, responses=error_responses(404, 422)
)
def get_product(
    product_id: Annotated[uuid.UUID, demo_path(demo_ids.product_id(1001, 1), "продукт DEMO-1001-001")],
    session: SessionDep,
) -> Product:
    """Получение продукта по ID."""
    return service.get(session, product_id)


@router.patch(
    "/{product_id}/aggregate",
    summary="Агрегация продукта",
    response_model=ProductOut,
    responses=error_responses(404, 409, 422),
)
def aggregate_product(
    product_id: Annotated[
        uuid.UUID, demo_path(demo_ids.product_id(1003, 3), "продукт DEMO-1003-003 открытой партии 1003")
    ],
    session: SessionDep,
    runtime: RuntimeDep,
    body: Annotated[AggregateIn | None, Body()] = None,
) -> Product:
    """Агрегация продукта; `aggregated_at` по умолчанию — текущее время."""
    aggregated_at = body.aggregated_at if body else None
    return service.aggregate(
        session,
        outbox=runtime.outbox,
        product_id=product_id,
        aggregated_at=aggregated_at,
        now=runtime.clock.now(),
    )
