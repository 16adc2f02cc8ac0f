"""Batch rules: unique (number, date), shifts in order, products only on open batches, aggregation."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from opsuite.core.jobs import JobQueue, TaskContext
from opsuite.production.batches.filters import BatchFilters, filter_statement
from opsuite.production.batches.models import Batch
from opsuite.production.batches.schemas import SHIFT_ORDER, BatchCreate, BatchUpdate
from opsuite.production.common.paging import PageParams, Sorting, fetch_page, ordered
from opsuite.production.errors import AlreadyExists, InvalidState, InvalidValue, NotFound
from opsuite.production.events import service as events_service
from opsuite.production.jobs.models import Job
from opsuite.production.products.models import Product
from opsuite.production.runtime import Runtime
from opsuite.production.webhooks.delivery import WebhookOutbox
from opsuite.production.work_centers import service as work_centers_service

AGGREGATE = "batches.aggregate"
CHUNK = 500
SORT_FIELDS = ("created_at", "updated_at", "batch_number", "batch_date", "shift", "team", "is_closed")

CLOSED_NO_ADD = "Нельзя добавлять продукты в закрытую партию"
CLOSED_NO_REMOVE = "Нельзя удалять продукты из закрытой партии"
CLOSED_NO_AGGREGATE = "Нельзя агрегировать закрытую партию"
EMPTY_NO_AGGREGATE = "Нельзя агрегировать партию без продуктов"
ALREADY_CLOSED = "Партия уже закрыта"
CANNOT_CLOSE = "Невозможно закрыть партию"
DELETE_ONLY_CLOSED = "Можно удалить только закрытую партию"
SHIFT_OF_CLOSED = "Нельзя изменять время смены для закрытой партии"
PRODUCT_NOT_IN_BATCH = "Продукт не найден в партии"


def not_found(batch_id: uuid.UUID) -> NotFound:
    """The document's 404 for a batch."""
    return NotFound(f"Партия с UUID {batch_id} не найдена")


def _duplicate(number: int, day: Any) -> AlreadyExists:
    return AlreadyExists(f"Партия с номером {number} и датой {day} уже существует")


def code_taken(code: str) -> AlreadyExists:
    """409 for a marking code that some product already has (codes are unique across batches)."""
    return AlreadyExists(f"Продукт с кодом {code} уже существует")


def get(session: Session, batch_id: uuid.UUID, *, for_update: bool = False) -> Batch:
    """The batch with its products, or 404; `for_update` locks the row against concurrent changes."""
    batch = session.get(Batch, batch_id, with_for_update=for_update, options=[selectinload(Batch.products)])
    if batch is None:
        raise not_found(batch_id)
    return batch


def list_page(
    session: Session, *, filters: BatchFilters, page: PageParams, sorting: Sorting
) -> tuple[list[Batch], int]:
    """A page of batches with their products."""
    statement = filter_statement(select(Batch), filters).options(selectinload(Batch.products))
    return fetch_page(
        session, ordered(statement, Batch, sorting, resource="batches", allowed=SORT_FIELDS), page
    )


def create_batch(session: Session, *, outbox: WebhookOutbox, data: BatchCreate, now: datetime) -> Batch:
    """A new open batch; 404 for an unknown work center, 409 for a taken (number, date)."""
    work_centers_service.get(session, data.work_center_id)
    _check_unique(session, data.batch_number, data.batch_date, exclude=None)
    fields = data.model_dump()
    batch = Batch(**fields, is_closed=False, closed_at=None, created_at=now, products=[])
    session.add(batch)
    _flush_unique(session, batch)
    events_service.emit(
        session,
        outbox,
        "batch.created",
        created_event_data(batch.uuid, batch.batch_number, batch.batch_date, batch.work_center_id),
    )
    return batch


def created_event_data(
    batch_id: uuid.UUID, number: int, day: date, work_center_id: uuid.UUID
) -> dict[str, Any]:
    """The data of `batch.created`."""
    return {
        "batch_id": str(batch_id),
        "batch_number": number,
        "batch_date": day.isoformat(),
        "work_center_id": str(work_center_id),
    }


def update_batch(
    session: Session,
    *,
    outbox: WebhookOutbox,
    batch_id: uuid.UUID,
    data: BatchUpdate,
    now: datetime,
    strict: bool = False,
) -> Batch:
    """Change any field; `is_closed` closes (as /close) or reopens; PATCH to the current state: no-op."""
    batch = get(session, batch_id, for_update=True)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    target_closed = changes.pop("is_closed", None)
    start = changes.get("shift_start", batch.shift_start)
    end = changes.get("shift_end", batch.shift_end)
    shift_moves = start != batch.shift_start or end != batch.shift_end
    if shift_moves and batch.is_closed and target_closed is not False:
        raise InvalidState(SHIFT_OF_CLOSED)
    if end <= start:
        raise InvalidValue(SHIFT_ORDER)
    if "work_center_id" in changes:
        work_centers_service.get(session, changes["work_center_id"])
    number = changes.get("batch_number", batch.batch_number)
    day = changes.get("batch_date", batch.batch_date)
    if (number, day) != (batch.batch_number, batch.batch_date):
        _check_unique(session, number, day, exclude=batch.uuid)
    changed = any(getattr(batch, field) != value for field, value in changes.items())
    for field, value in changes.items():
        setattr(batch, field, value)
    if target_closed is True and not batch.is_closed:
        _close(session, outbox, batch, closed_at=now, now=now, strict=strict)
    elif target_closed is False and batch.is_closed:
        _reopen(session, outbox, batch, now=now)
    elif changed:
        batch.updated_at = now
    _flush_unique(session, batch)
    return batch


def close(
    session: Session,
    *,
    outbox: WebhookOutbox,
    batch_id: uuid.UUID,
    closed_at: datetime | None,
    now: datetime,
    strict: bool = False,
) -> Batch:
    """Close an open batch at `closed_at` (default now); 409 when closed already.

    `strict` is the original's rule (at least one product, all aggregated); the document's own example
    closes a batch whose product was never aggregated, so it is off by default.
    """
    batch = get(session, batch_id, for_update=True)
    if batch.is_closed:
        raise InvalidState(ALREADY_CLOSED)
    _close(session, outbox, batch, closed_at=closed_at or now, now=now, strict=strict)
    return batch


def _close(
    session: Session, outbox: WebhookOutbox, batch: Batch, *, closed_at: datetime, now: datetime, strict: bool
) -> None:
    if strict and (not batch.products or not all(p.is_aggregated for p in batch.products)):
        raise InvalidState(CANNOT_CLOSE)
    batch.is_closed = True
    batch.closed_at = closed_at
    batch.updated_at = now
    session.flush()
    events_service.emit(
        session,
        outbox,
        "batch.closed",
        {"batch_id": str(batch.uuid), "batch_number": batch.batch_number, "closed_at": _iso(closed_at)},
    )


def _reopen(session: Session, outbox: WebhookOutbox, batch: Batch, *, now: datetime) -> None:
    batch.is_closed = False
    batch.closed_at = None
    batch.updated_at = now
    session.flush()
    events_service.emit(
        session,
        outbox,
        "batch.opened",
        {"batch_id": str(batch.uuid), "batch_number": batch.batch_number, "opened_at": _iso(now)},
    )


def delete(session: Session, *, outbox: WebhookOutbox, batch_id: uuid.UUID) -> None:
    """Delete a closed batch with its products; 409 for an open one."""
    batch = get(session, batch_id, for_update=True)
    if not batch.is_closed:
        raise InvalidState(DELETE_ONLY_CLOSED)
    number = batch.batch_number
    session.delete(batch)
    session.flush()
    events_service.emit(session, outbox, "batch.deleted", {"batch_id": str(batch_id), "batch_number": number})


def add_product(
    session: Session, *, outbox: WebhookOutbox, batch_id: uuid.UUID, unique_code: str, now: datetime
) -> Batch:
    """Add a product by its marking code; 409 on a closed batch or a code already used anywhere."""
    batch = get(session, batch_id, for_update=True)
    if batch.is_closed:
        raise InvalidState(CLOSED_NO_ADD)
    product = new_product(session, batch=batch, unique_code=unique_code, now=now)
    batch.updated_at = now
    session.flush()
    session.refresh(batch, ["products"])
    events_service.emit(session, outbox, "batch.product_added", product_event(batch, product))
    return batch


def new_product(session: Session, *, batch: Batch, unique_code: str, now: datetime) -> Product:
    """Insert a product of `batch`; 409 when the code is taken (also when a concurrent insert wins)."""
    if session.scalar(select(exists().where(Product.unique_code == unique_code))):
        raise code_taken(unique_code)
    product = Product(unique_code=unique_code, batch_id=batch.uuid, is_aggregated=False, created_at=now)
    session.add(product)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise code_taken(unique_code) from None
    return product


def remove_product(
    session: Session, *, outbox: WebhookOutbox, batch_id: uuid.UUID, product_id: uuid.UUID, now: datetime
) -> Batch:
    """Delete a product of an open batch; 404 when it is not in this batch."""
    batch = get(session, batch_id, for_update=True)
    if batch.is_closed:
        raise InvalidState(CLOSED_NO_REMOVE)
    product = next((p for p in batch.products if p.uuid == product_id), None)
    if product is None:
        raise NotFound(PRODUCT_NOT_IN_BATCH)
    event = product_event(batch, product)
    batch.products.remove(product)
    batch.updated_at = now
    session.flush()
    events_service.emit(session, outbox, "batch.product_removed", event)
    return batch


def aggregate(
    session: Session,
    *,
    outbox: WebhookOutbox,
    batch_id: uuid.UUID,
    aggregated_at: datetime | None,
    now: datetime,
) -> Batch:
    """Aggregate every product of an open batch not yet aggregated; 409 on a closed or empty batch."""
    batch = get(session, batch_id, for_update=True)
    if batch.is_closed:
        raise InvalidState(CLOSED_NO_AGGREGATE)
    if not batch.products:
        raise InvalidState(EMPTY_NO_AGGREGATE)
    moment = aggregated_at or now
    fresh = [product for product in batch.products if not product.is_aggregated]
    mark_aggregated(session, outbox, batch, fresh, aggregated_at=moment, now=now)
    return batch


def mark_aggregated(
    session: Session,
    outbox: WebhookOutbox,
    batch: Batch,
    products: Sequence[Product],
    *,
    aggregated_at: datetime,
    now: datetime,
    announce_batch: bool = True,
) -> None:
    """Aggregate `products` of `batch`: `product.aggregated` for each, then one `batch.aggregated`."""
    if not products:
        return
    session.execute(
        update(Product)
        .where(Product.uuid.in_([product.uuid for product in products]), Product.is_aggregated.is_(False))
        .values(is_aggregated=True, aggregated_at=aggregated_at, updated_at=now)
        .execution_options(synchronize_session="fetch")
    )
    batch.updated_at = now
    session.flush()
    for product in products:
        events_service.emit(
            session,
            outbox,
            "product.aggregated",
            {
                "product_id": str(product.uuid),
                "batch_id": str(batch.uuid),
                "unique_code": product.unique_code,
                "aggregated_at": _iso(aggregated_at),
            },
        )
    if announce_batch:
        announce_aggregated(session, outbox, batch, aggregated_at=aggregated_at, count=len(products))


def announce_aggregated(
    session: Session, outbox: WebhookOutbox, batch: Batch, *, aggregated_at: datetime, count: int
) -> None:
    """Emit `batch.aggregated` for `count` newly aggregated products."""
    events_service.emit(
        session,
        outbox,
        "batch.aggregated",
        {
            "batch_id": str(batch.uuid),
            "batch_number": batch.batch_number,
            "aggregated_at": _iso(aggregated_at),
            "aggregated": count,
        },
    )


def check_can_aggregate_async(session: Session, *, batch_id: uuid.UUID) -> Batch:
    """404 for a missing batch, 409 for a closed one: checked before a job is started."""
    batch = get(session, batch_id)
    if batch.is_closed:
        raise InvalidState(CLOSED_NO_AGGREGATE)
    return batch


def start_aggregation(
    session: Session,
    *,
    jobs: JobQueue[Job],
    batch_id: uuid.UUID,
    aggregated_at: datetime | None,
    unique_codes: list[str] | None,
    now: datetime,
) -> Job:
    """Queue the aggregation of the batch's products (or only `unique_codes`) at `aggregated_at` (default
    now); 404 for a missing batch, 409 for a closed one."""
    check_can_aggregate_async(session, batch_id=batch_id)
    return jobs.enqueue(
        session,
        AGGREGATE,
        batch_id=str(batch_id),
        aggregated_at=(aggregated_at or now).isoformat(),
        unique_codes=unique_codes or None,
    )


def aggregate_job(
    ctx: TaskContext,
    runtime: Runtime,
    *,
    batch_id: str,
    aggregated_at: str | None,
    unique_codes: list[str] | None,
) -> dict[str, Any]:
    """Aggregate the batch's products (or the given codes) in chunks, reporting progress per chunk.

    Per-code reasons: "not found", "wrong batch", "already aggregated". Each chunk commits on its own, so
    a re-run after a crash skips what is done (already aggregated codes of the whole-batch form are not
    errors). A batch closed meanwhile fails the job.
    """
    key = uuid.UUID(batch_id)
    with ctx.database.session(write=False) as session:
        check_can_aggregate_async(session, batch_id=key)
        explicit = bool(unique_codes)
        codes = (
            list(dict.fromkeys(unique_codes or []))
            if explicit
            else list(
                session.scalars(
                    select(Product.unique_code).where(Product.batch_id == key).order_by(Product.created_at)
                )
            )
        )
    total = len(codes)
    # The route passes the request's moment; without one (a direct call), the time the job started.
    moment = datetime.fromisoformat(aggregated_at) if aggregated_at else runtime.clock.now()
    errors: list[dict[str, str]] = []
    aggregated = 0
    ctx.progress(0, total)
    for start in range(0, total, CHUNK):
        chunk = codes[start : start + CHUNK]
        with ctx.database.session() as session:
            now = runtime.clock.now()
            batch = get(session, key, for_update=True)
            if batch.is_closed:
                raise InvalidState(CLOSED_NO_AGGREGATE)
            found = {
                p.unique_code: p
                for p in session.scalars(select(Product).where(Product.unique_code.in_(chunk)))
            }
            fresh = []
            for code in chunk:
                product = found.get(code)
                if product is None:
                    errors.append({"code": code, "reason": "not found"})
                elif product.batch_id != key:
                    errors.append({"code": code, "reason": "wrong batch"})
                elif product.is_aggregated:
                    if explicit:
                        errors.append({"code": code, "reason": "already aggregated"})
                else:
                    fresh.append(product)
            mark_aggregated(
                session, runtime.outbox, batch, fresh, aggregated_at=moment, now=now, announce_batch=False
            )
            aggregated += len(fresh)
        ctx.progress(min(start + CHUNK, total), total)
    if aggregated:
        with ctx.database.session() as session:
            announce_aggregated(
                session, runtime.outbox, get(session, key), aggregated_at=moment, count=aggregated
            )
    return {
        "success": not errors,
        "total": total,
        "aggregated": aggregated,
        "failed": len(errors),
        "errors": errors,
    }


def _check_unique(session: Session, number: int, day: Any, *, exclude: uuid.UUID | None) -> None:
    clash = exists().where(Batch.batch_number == number, Batch.batch_date == day)
    if exclude is not None:
        clash = clash.where(Batch.uuid != exclude)
    if session.scalar(select(clash)):
        raise _duplicate(number, day)


def _flush_unique(session: Session, batch: Batch) -> None:
    # The unique constraint settles a race between two requests that both passed `_check_unique`.
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise _duplicate(batch.batch_number, batch.batch_date) from None


def product_event(batch: Batch, product: Product) -> dict[str, Any]:
    """The data of `batch.product_added` and `batch.product_removed`."""
    return product_event_data(batch.uuid, batch.batch_number, product.uuid, product.unique_code)


def product_event_data(batch_id: uuid.UUID, number: int, product_id: uuid.UUID, code: str) -> dict[str, Any]:
    """`product_event` from the values, for rows written without ORM objects."""
    return {
        "batch_id": str(batch_id),
        "batch_number": number,
        "product_id": str(product_id),
        "unique_code": code,
    }


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
