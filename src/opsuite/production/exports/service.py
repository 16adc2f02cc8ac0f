"""Batch export: the original's column set, rows streamed from the database straight into the file."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, Literal, cast

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from opsuite.core.files import TEMP_PREFIX, FileStore
from opsuite.core.jobs import JobQueue, TaskContext
from opsuite.core.tabular import open_csv_writer, stream_partitions, write_csv, write_xlsx
from opsuite.production.batches.filters import BatchFilters, filter_statement
from opsuite.production.batches.models import Batch
from opsuite.production.files import service as files_service
from opsuite.production.files.models import StoredFile
from opsuite.production.jobs.models import Job
from opsuite.production.products.models import Product
from opsuite.production.runtime import Runtime
from opsuite.production.work_centers.models import WorkCenter

ExportFormat = Literal["xlsx", "csv"]
EXPORT = "batches.export"
PARTITION = 1000
SHEET_NAME = "Партии"

# The original's `fields(BatchRawDataDTO)`, in its order; the import reads the same names.
COLUMNS = (
    "batch_number",
    "batch_date",
    "nomenclature",
    "ekn_code",
    "shift",
    "team",
    "task_description",
    "shift_start",
    "shift_end",
    "work_center_identifier",
    "work_center_name",
    "products",
    "uuid",
    "created_at",
    "updated_at",
    "is_closed",
    "closed_at",
)
WIDTHS = (12, 12, 30, 14, 8, 16, 30, 22, 22, 20, 24, 40, 38, 22, 22, 10, 22)
_IS_CLOSED = COLUMNS.index("is_closed")


def start_export(
    session: Session,
    *,
    jobs: JobQueue[Job],
    fmt: ExportFormat,
    filters: BatchFilters,
    overrides: BatchFilters | None = None,
) -> Job:
    """Queue an export job on `jobs` of the batches `filters` select, the fields set in `overrides` winning;
    it runs after the caller's transaction commits."""
    if overrides is not None:
        filters = filters.model_copy(update=overrides.model_dump(exclude_unset=True))
    return jobs.enqueue(
        session, EXPORT, format=fmt, filters=filters.model_dump(mode="json", exclude_none=True)
    )


def iso(moment: datetime | None) -> str | None:
    """An aware UTC datetime as ISO 8601 with `Z`, as the API writes it."""
    if moment is None:
        return None
    return moment.replace(tzinfo=None).isoformat() + "Z"


def _statement(filters: BatchFilters) -> Select[Any]:
    statement = select(
        Batch.uuid,
        Batch.batch_number,
        Batch.batch_date,
        Batch.nomenclature,
        Batch.ekn_code,
        Batch.shift,
        Batch.team,
        Batch.task_description,
        Batch.shift_start,
        Batch.shift_end,
        WorkCenter.identifier,
        WorkCenter.name,
        Batch.created_at,
        Batch.updated_at,
        Batch.is_closed,
        Batch.closed_at,
    ).join(WorkCenter, WorkCenter.uuid == Batch.work_center_id)
    return filter_statement(cast("Select[Any]", statement), filters).order_by(
        Batch.batch_date, Batch.batch_number
    )


def count(session: Session, filters: BatchFilters) -> int:
    """How many batches match."""
    return session.scalar(filter_statement(select(func.count()).select_from(Batch), filters)) or 0


def rows(
    session: Session, filters: BatchFilters, *, progress: Callable[[int], None] | None = None
) -> Iterator[tuple[Any, ...]]:
    """Export rows in `COLUMNS` order, a partition at a time; `progress(done)` after each partition."""
    done = 0
    for part in stream_partitions(session, _statement(filters), size=PARTITION):
        products = _products(session, [row[0] for row in part])
        for (
            batch_id,
            number,
            day,
            nomenclature,
            ekn_code,
            shift,
            team,
            task,
            start,
            end,
            identifier,
            name,
            created_at,
            updated_at,
            is_closed,
            closed_at,
        ) in part:
            yield (
                number,
                day.isoformat(),
                nomenclature,
                ekn_code,
                shift,
                team,
                task,
                iso(start),
                iso(end),
                identifier,
                name,
                json.dumps(products.get(batch_id, []), ensure_ascii=False),
                str(batch_id),
                iso(created_at),
                iso(updated_at),
                bool(is_closed),
                iso(closed_at),
            )
        done += len(part)
        if progress is not None:
            progress(done)


def _products(session: Session, batch_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[dict[str, Any]]]:
    found: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    statement = (
        select(
            Product.batch_id,
            Product.unique_code,
            Product.is_aggregated,
            Product.aggregated_at,
            Product.uuid,
            Product.created_at,
            Product.updated_at,
        )
        .where(Product.batch_id.in_(batch_ids))
        .order_by(Product.batch_id, Product.created_at, Product.uuid)
    )
    for batch_id, code, aggregated, aggregated_at, product_id, created_at, updated_at in session.execute(
        statement
    ):
        found[batch_id].append(
            {
                "unique_code": code,
                "batch_id": str(batch_id),
                "is_aggregated": bool(aggregated),
                "aggregated_at": iso(aggregated_at),
                "uuid": str(product_id),
                "created_at": iso(created_at),
                "updated_at": iso(updated_at),
            }
        )
    return found


def _csv_rows(source: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    # CSV has no boolean: write it as JSON does.
    for row in source:
        closed = "true" if row[_IS_CLOSED] else "false"
        yield (*row[:_IS_CLOSED], closed, *row[_IS_CLOSED + 1 :])


def file_id_of(job_id: str) -> uuid.UUID:
    """The stored file an export job writes: named after the job, so its leftovers can be found."""
    return uuid.UUID(hex=job_id)


def remove_leftovers(store: FileStore, file_id: uuid.UUID) -> int:
    """Remove the temporary files a dead run of the export left behind; returns how many."""
    final = store.resolve(store.relative(file_id, "csv"))
    removed = 0
    for path in final.parent.glob(f"{TEMP_PREFIX}*-{file_id.hex}.*"):
        path.unlink(missing_ok=True)
        removed += 1
    return removed


def export_job(ctx: TaskContext, runtime: Runtime, *, format: str, filters: dict[str, Any]) -> dict[str, Any]:
    """Write the matching batches to a stored file; result `{file_id, download_url, format, total}`."""
    fmt: ExportFormat = "csv" if format == "csv" else "xlsx"
    criteria = BatchFilters.model_validate(filters)
    store = files_service.file_store(runtime.settings)
    file_id = file_id_of(ctx.job_id)
    with ctx.database.session(write=False) as session:
        total = count(session, criteria)
        ctx.progress(0, total)

        def report(done: int) -> None:
            ctx.progress(min(done, total), total)

        with store.writer(file_id, fmt) as target:
            source = rows(session, criteria, progress=report)
            if fmt == "xlsx":
                written = write_xlsx(target.path, COLUMNS, source, sheet_name=SHEET_NAME, widths=WIDTHS)
            else:
                with open_csv_writer(target.path) as handle:
                    written = write_csv(handle, COLUMNS, _csv_rows(source))
            size = target.commit()
    now = runtime.clock.now()
    with ctx.database.session() as session:
        earlier = session.get(StoredFile, file_id)
        if earlier is not None:
            # An earlier run of this job registered the file and died before finishing: this run rewrote it.
            earlier.size = size
        else:
            files_service.register(
                session,
                file_id=file_id,
                kind="export",
                fmt=fmt,
                name=f"batches_{now:%Y%m%d_%H%M%S}.{fmt}",
                size=size,
                store=store,
                now=now,
                retention_days=runtime.settings.files_retention_days,
            )
    return {
        "file_id": str(file_id),
        "download_url": files_service.download_url(file_id),
        "format": fmt,
        "total": written,
    }
