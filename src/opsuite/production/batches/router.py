"""Batch routes: CRUD, products, close, aggregation (sync and as a job)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, Response, status

from opsuite.core.fields import MAX_ID
from opsuite.production import demo_ids
from opsuite.production.batches import service
from opsuite.production.batches.filters import BatchFilters
from opsuite.production.batches.models import Batch
from opsuite.production.batches.schemas import (
    AggregateAsyncIn,
    AggregateIn,
    BatchCreate,
    BatchOut,
    BatchUpdate,
    CloseIn,
    ProductIn,
)
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
from opsuite.production.jobs.schemas import TaskAccepted

SortingDep = Annotated[Sorting, Depends(sorting_by(service.SORT_FIELDS))]
router = APIRouter(prefix="/batches", tags=["Batches"])

# Demo batches the examples name: 1002 and 1003 open, 1004 open until the close example closes it.
Open1002 = Annotated[uuid.UUID, demo_path(demo_ids.batch_id(1002), "партия 1002 демо-данных (открыта)")]
Open1003 = Annotated[uuid.UUID, demo_path(demo_ids.batch_id(1003), "партия 1003 демо-данных (открыта)")]
Batch1004 = Annotated[uuid.UUID, demo_path(demo_ids.batch_id(1004), "партия 1004 демо-данных")]


def batch_filters(
    is_closed: bool | None = None,
    batch_number: Annotated[int | None, Query(gt=0, le=MAX_ID)] = None,
    batch_date: date | None = None,
    batch_date_from: date | None = None,
    batch_date_to: date | None = None,
    work_center_id: uuid.UUID | None = None,
    shift: Annotated[str | None, Query(max_length=255)] = None,
) -> BatchFilters:
    """The document's list filters as query parameters."""
    return BatchFilters(
        is_closed=is_closed,
        batch_number=batch_number,
        batch_date=batch_date,
        batch_date_from=batch_date_from,
        batch_date_to=batch_date_to,
        work_center_id=work_center_id,
        shift=shift,
    )


FiltersDep = Annotated[BatchFilters, Depends(batch_filters)]


@router.post(
    "",
    summary="Создание партии",
    status_code=201,
    response_model=BatchOut,
    responses=error_responses(404, 409, 422),
)
def create_batch(body: BatchCreate, session: SessionDep, runtime: RuntimeDep) -> Batch:
    """Создание партии."""
    return service.create_batch(session, outbox=runtime.outbox, data=body, now=runtime.clock.now())


@router.get("", summary="Список партий", response_model=Page[BatchOut], responses=error_responses(422))
def list_batches(
    session: SessionDep,
    page: PageDep,
    filters: FiltersDep,
    sorting: SortingDep,
) -> Page[BatchOut]:
    """Список партий с фильтрами, пагинацией и сортировкой."""
    items, total = service.list_page(session, filters=filters, page=page, sorting=sorting)
    return page_of(BatchOut, items, total, page)


@router.get(
    "/{batch_id}", summary="Партия по ID", response_model=BatchOut, responses=error_responses(404, 422)
)
def get_batch(batch_id: Open1002, session: SessionDep) -> Batch:
    """Получение партии по ID."""
    return service.get(session, batch_id)


@router.patch(
    "/{batch_id}",
    summary="Изменение партии",
    response_model=BatchOut,
    responses=error_responses(404, 409, 422),
)
def update_batch(batch_id: Open1002, body: BatchUpdate, session: SessionDep, runtime: RuntimeDep) -> Batch:
    """Обновление партии; `is_closed` закрывает или открывает её."""
    return service.update_batch(
        session,
        outbox=runtime.outbox,
        batch_id=batch_id,
        data=body,
        now=runtime.clock.now(),
        strict=runtime.settings.strict_close,
    )


@router.delete(
    "/{batch_id}", summary="Удаление партии", status_code=204, responses=error_responses(404, 409, 422)
)
def delete_batch(batch_id: Batch1004, session: SessionDep, runtime: RuntimeDep) -> Response:
    """Удаление закрытой партии вместе с продуктами.

    Пример удаляет партию 1004 демо-данных после примера закрытия (`PATCH /api/batches/{batch_id}/close`):
    открытую партию удалить нельзя (409)."""
    service.delete(session, outbox=runtime.outbox, batch_id=batch_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{batch_id}/products",
    summary="Добавление продукта в партию",
    response_model=BatchOut,
    responses=error_responses(404, 409, 422),
)
def add_product(batch_id: Open1002, body: ProductIn, session: SessionDep, runtime: RuntimeDep) -> Batch:
    """Добавление продукта в партию (200 с партией, как в документе)."""
    return service.add_product(
        session,
        outbox=runtime.outbox,
        batch_id=batch_id,
        unique_code=body.unique_code,
        now=runtime.clock.now(),
    )


@router.delete(
    "/{batch_id}/products/{product_id}",
    summary="Удаление продукта из партии",
    response_model=BatchOut,
    responses=error_responses(404, 409, 422),
)
def remove_product(
    batch_id: Open1003,
    product_id: Annotated[
        uuid.UUID, demo_path(demo_ids.product_id(1003, 4), "продукт DEMO-1003-004 партии 1003")
    ],
    session: SessionDep,
    runtime: RuntimeDep,
) -> Batch:
    """Удаление продукта из партии (строка продукта удаляется)."""
    return service.remove_product(
        session, outbox=runtime.outbox, batch_id=batch_id, product_id=product_id, now=runtime.clock.now()
    )


@router.patch(
    "/{batch_id}/close",
    summary="Закрытие партии",
    response_model=BatchOut,
    responses=error_responses(404, 409, 422),
)
def close_batch(
    batch_id: Batch1004,
    session: SessionDep,
    runtime: RuntimeDep,
    body: Annotated[CloseIn | None, Body()] = None,
) -> Batch:
    """Закрытие партии; `closed_at` по умолчанию — текущее время."""
    closed_at = body.closed_at if body else None
    return service.close(
        session,
        outbox=runtime.outbox,
        batch_id=batch_id,
        closed_at=closed_at,
        now=runtime.clock.now(),
        strict=runtime.settings.strict_close,
    )


@router.patch(
    "/{batch_id}/aggregate",
    summary="Агрегация партии",
    status_code=202,
    response_model=BatchOut,
    responses=error_responses(404, 409, 422),
)
def aggregate_batch(
    batch_id: Open1002,
    session: SessionDep,
    runtime: RuntimeDep,
    body: Annotated[AggregateIn | None, Body()] = None,
) -> Batch:
    """Агрегация всех продуктов партии (выполняется сразу; 202 с партией, как в документе)."""
    aggregated_at = body.aggregated_at if body else None
    return service.aggregate(
        session,
        outbox=runtime.outbox,
        batch_id=batch_id,
        aggregated_at=aggregated_at,
        now=runtime.clock.now(),
    )


@router.patch(
    "/{batch_id}/aggregate_async",
    summary="Асинхронная агрегация партии",
    status_code=202,
    response_model=TaskAccepted,
    responses=error_responses(404, 409, 422),
)
def aggregate_batch_async(
    batch_id: Open1003,
    session: SessionDep,
    runtime: RuntimeDep,
    body: Annotated[AggregateAsyncIn | None, Body()] = None,
) -> TaskAccepted:
    """Агрегация партии фоновой задачей: все продукты или только `unique_codes`."""
    request = body or AggregateAsyncIn()
    job = service.start_aggregation(
        session,
        jobs=runtime.jobs,
        batch_id=batch_id,
        aggregated_at=request.aggregated_at,
        unique_codes=request.unique_codes,
        now=runtime.clock.now(),
    )
    return TaskAccepted(task_id=job.id, message="Aggregation task started")
