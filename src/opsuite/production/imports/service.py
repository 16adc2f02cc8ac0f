"""Batch import: the upload saved first, then a job reading it a chunk of rows at a time.

Each chunk is checked with one query for the batch keys, codes and work centers its rows name; the rows
that only create a new open batch are written with one multi-row insert per table in a savepoint
(`bulk`). Any other row (an update, a close, an aggregated product, a taken key or code) runs the batch
service's rules in its own savepoint, and so does every row of a bulk write that fails, so each row's
outcome and message are those of the per-row import.

Rows are committed a chunk at a time, and each chunk's transaction also writes the job's checkpoint (the
last line done and the counts so far). So after a crash the job row says exactly which rows landed: every
line up to the checkpoint, no line after it; a rerun of the job resumes after it. Not one transaction per
file: on SQLite that would hold the write lock, heartbeats included, for the whole import.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from datetime import datetime
from itertools import islice
from pathlib import PurePath
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from opsuite.core.jobs import TaskContext
from opsuite.core.tabular import TableTooLarge, XlsxLimits, read_table, sniff
from opsuite.production.batches import service as batches_service
from opsuite.production.batches.models import Batch
from opsuite.production.batches.schemas import BatchCreate, BatchUpdate
from opsuite.production.errors import BadRequest, InvalidState, NotFound, ProductionError, TooLarge
from opsuite.production.events import service as events_service
from opsuite.production.files import service as files_service
from opsuite.production.files.models import StoredFile
from opsuite.production.imports import bulk
from opsuite.production.imports.parsing import REQUIRED, ImportedRow, RowError, parse_row, validation_message
from opsuite.production.jobs.models import Job
from opsuite.production.products.models import Product
from opsuite.production.runtime import Runtime
from opsuite.production.webhooks.delivery import WebhookOutbox
from opsuite.production.work_centers import service as work_centers_service
from opsuite.production.work_centers.models import WorkCenter
from opsuite.production.work_centers.schemas import WorkCenterCreate

log = logging.getLogger(__name__)

ImportFormat = Literal["xlsx", "csv"]
IMPORT = "batches.import"
CHUNK = 1000  # rows per transaction (well under a second): SQLite's write lock is released between chunks
MAX_ERRORS = 1000  # errors listed in the result; `failed` counts them all
MAX_MESSAGE = 300  # characters of one row's message: a cell quoted in it may be 128 KB long
FORMATS: dict[str, ImportFormat] = {".csv": "csv", ".xlsx": "xlsx"}


def unsupported(what: str) -> BadRequest:
    """The original's 400 for a file that is neither CSV nor xlsx."""
    return BadRequest(f"Unsupported file format: {what}")


def format_of(filename: str) -> ImportFormat:
    """The format named by the file's extension; 400 for anything but .csv and .xlsx."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in FORMATS:
        raise unsupported(suffix or filename or "(без имени)")
    return FORMATS[suffix]


def check_content(fmt: ImportFormat, head: bytes) -> None:
    """400 when the first bytes do not look like the format the extension names."""
    if sniff(head) != fmt:
        raise unsupported(f".{fmt} (содержимое файла не соответствует формату)")


def start_import(
    session: Session,
    runtime: Runtime,
    *,
    file_id: uuid.UUID,
    fmt: ImportFormat,
    filename: str,
    size: int,
    update_existing: bool,
) -> Job:
    """Record the saved upload and queue its import; the job gets the file's id, never its bytes."""
    files_service.register(
        session,
        file_id=file_id,
        kind="import",
        fmt=fmt,
        name=PurePath(filename).name or f"import.{fmt}",
        size=size,
        store=files_service.file_store(runtime.settings),
        now=runtime.clock.now(),
        retention_days=runtime.settings.files_retention_days,
    )
    return runtime.jobs.enqueue(
        session, IMPORT, file_id=str(file_id), format=fmt, update_existing=update_existing
    )


class _Outcome:
    def __init__(self, saved: dict[str, Any] | None = None) -> None:
        saved = saved or {}
        self.line = int(saved.get("line", 0))
        self.total = int(saved.get("total", 0))
        self.created = int(saved.get("created", 0))
        self.updated = int(saved.get("updated", 0))
        self.failed = int(saved.get("failed", 0))
        self.errors: list[dict[str, Any]] = list(saved.get("errors", []))

    def fail(self, row: int, message: str) -> None:
        self.failed += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append({"row": row, "error": message[:MAX_MESSAGE]})

    def checkpoint(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "failed": self.failed,
            "errors": self.errors,
        }

    def result(self) -> dict[str, Any]:
        return {
            "success": self.failed == 0,
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "failed": self.failed,
            "errors": self.errors,
        }


def import_job(
    ctx: TaskContext, runtime: Runtime, *, file_id: str, format: str, update_existing: bool
) -> dict[str, Any]:
    """Import every row; result `{success, total, created, updated, failed, errors: [{row, error}]}`.

    `row` is the line in the file with the header as line 1; 0 means the file as a whole. An xlsx over
    the size limits fails the job (TooLarge) before it is parsed. A rerun resumes after the checkpoint.
    """
    outcome = _Outcome(ctx.checkpoint if isinstance(ctx.checkpoint, dict) else None)
    store = files_service.file_store(runtime.settings)
    with ctx.database.session(write=False) as session:
        stored = session.get(StoredFile, uuid.UUID(file_id))
        if stored is None:
            raise NotFound(files_service.FILE_NOT_FOUND)
        path = store.resolve(stored.path)
    fmt: ImportFormat = "csv" if format == "csv" else "xlsx"
    limits = XlsxLimits(
        max_unpacked_bytes=runtime.settings.import_max_unpacked_bytes,
        max_cells=runtime.settings.import_max_cells,
    )
    try:
        table = read_table(path, fmt, limits=limits)
    except TableTooLarge as exc:
        # A failure, not a result: the file can never be imported as it is.
        raise TooLarge(f"Файл слишком велик для импорта: {exc}") from None
    except ValueError as exc:
        outcome.fail(0, f"Ошибка обработки файла: {exc}")
        return _finish(ctx, runtime, outcome)
    try:
        missing = [name for name in REQUIRED if name not in table.header]
        if missing:
            outcome.fail(0, f"Отсутствуют обязательные колонки: {', '.join(missing)}")
            return _finish(ctx, runtime, outcome)
        ctx.progress(0, table.total)
        while True:
            try:
                chunk = list(islice(table.rows, CHUNK))
            except (ValueError, UnicodeDecodeError) as exc:
                outcome.fail(0, f"Ошибка обработки файла: {exc}")
                break
            if not chunk:
                break
            todo = [(number, raw) for number, raw in chunk if number > outcome.line]
            if not todo:
                continue  # landed in an earlier run
            with ctx.database.session() as session:
                _import_chunk(session, runtime, outcome, todo, update_existing=update_existing)
                outcome.line = todo[-1][0]
                # Commits with the chunk's rows, or rolls them back if this run no longer owns the job.
                ctx.save_checkpoint(session, outcome.checkpoint())
            ctx.progress(min(outcome.total, table.total), table.total)
    finally:
        table.close()
    return _finish(ctx, runtime, outcome)


def _finish(ctx: TaskContext, runtime: Runtime, outcome: _Outcome) -> dict[str, Any]:
    with ctx.database.session() as session:
        events_service.emit(
            session,
            runtime.outbox,
            "batch.import_completed",
            {
                "aggregate_id": ctx.job_id,
                "task_id": ctx.job_id,
                "total": outcome.total,
                "created": outcome.created,
                "updated": outcome.updated,
                "failed": outcome.failed,
            },
        )
    return outcome.result()


def _import_chunk(
    session: Session,
    runtime: Runtime,
    outcome: _Outcome,
    todo: list[tuple[int, dict[str, Any]]],
    *,
    update_existing: bool,
) -> None:
    """Import a chunk's rows; the errors come out in line order whichever path a row took."""
    first_error = len(outcome.errors)
    parsed: list[tuple[int, dict[str, Any], ImportedRow | None]] = []
    for number, raw in todo:
        outcome.total += 1
        try:
            parsed.append((number, raw, parse_row(raw)))
        except RowError as exc:
            outcome.fail(number, str(exc))
        except (ArithmeticError, ValueError, TypeError, RecursionError):
            parsed.append((number, raw, None))  # the per-row path reports it as it always has
    touched = bulk.Touched.read(session, (row for _, _, row in parsed if row is not None))
    pending: list[bulk.Fresh] = []
    raws: dict[int, dict[str, Any]] = {}
    for number, raw, row in parsed:
        fresh = None
        if row is not None:
            try:
                fresh = touched.fresh(number, row)
            except ValidationError as exc:
                outcome.fail(number, validation_message(exc))
                continue
        if fresh is not None:
            pending.append(fresh)
            raws[number] = raw
            continue
        _write_fresh(session, runtime, outcome, pending, raws, update_existing=update_existing)
        pending, raws = [], {}
        _import_row(session, runtime, outcome, number, raw, update_existing=update_existing)
        if row is not None:
            touched.after_row(session, row)
    _write_fresh(session, runtime, outcome, pending, raws, update_existing=update_existing)
    outcome.errors[first_error:] = sorted(outcome.errors[first_error:], key=lambda error: int(error["row"]))


def _write_fresh(
    session: Session,
    runtime: Runtime,
    outcome: _Outcome,
    pending: list[bulk.Fresh],
    raws: dict[int, dict[str, Any]],
    *,
    update_existing: bool,
) -> None:
    """Write the pending new batches at once; if that fails, import each of them on its own."""
    if not pending:
        return
    try:
        with session.begin_nested():
            bulk.write(session, runtime.outbox, pending, now=runtime.clock.now())
    except SQLAlchemyError:
        log.info(
            "bulk write of %d import rows failed; importing them one by one", len(pending), exc_info=True
        )
        for fresh in pending:
            _import_row(
                session, runtime, outcome, fresh.line, raws[fresh.line], update_existing=update_existing
            )
        return
    finally:
        session.expunge_all()
    outcome.created += len(pending)


def _import_row(
    session: Session,
    runtime: Runtime,
    outcome: _Outcome,
    number: int,
    raw: dict[str, Any],
    *,
    update_existing: bool,
) -> None:
    try:
        row = parse_row(raw)
        with session.begin_nested():
            created = apply_row(session, runtime, row, update_existing=update_existing)
    except RowError as exc:
        outcome.fail(number, str(exc))
        return
    except ValidationError as exc:
        outcome.fail(number, validation_message(exc))
        return
    except ProductionError as exc:
        outcome.fail(number, exc.detail)
        return
    except SQLAlchemyError as exc:
        log.warning("import row %d failed in the database", number, exc_info=True)
        outcome.fail(number, f"Ошибка базы данных: {type(exc).__name__}")
        return
    except (ArithmeticError, ValueError, TypeError, RecursionError) as exc:
        # Whatever else one hostile cell provokes fails its row alone; the savepoint has rolled back.
        log.warning("import row %d failed", number, exc_info=True)
        outcome.fail(number, f"Ошибка обработки строки: {type(exc).__name__}")
        return
    finally:
        # Each row's objects are done with; an identity map growing over the chunk makes every later
        # savepoint and flush slower (SQLAlchemy snapshots the session at each savepoint).
        session.expunge_all()
    if created:
        outcome.created += 1
    else:
        outcome.updated += 1


def apply_row(session: Session, runtime: Runtime, row: ImportedRow, *, update_existing: bool) -> bool:
    """Create the row's batch (or update it, matched on number and date); True when created.

    A missing work center is created from the row's identifier and name. Products are added with the
    add-product rule (codes already in this batch are skipped; a code of another batch fails the row),
    aggregation flags of exported products are restored, then the batch is closed or reopened as the row
    says.
    """
    now = runtime.clock.now()
    strict = runtime.settings.strict_close
    center = _work_center(session, row, now=now)
    existing = session.scalar(
        select(Batch).where(Batch.batch_number == row.batch_number, Batch.batch_date == row.batch_date)
    )
    if existing is not None and update_existing:
        fields: dict[str, Any] = {**row.batch_fields(), "work_center_id": center.uuid}
        if existing.is_closed and not row.is_closed:
            fields["is_closed"] = False  # reopen first, so that the shift and products may change
        changes = BatchUpdate.model_validate(fields)
        batch = batches_service.update_batch(
            session, outbox=runtime.outbox, batch_id=existing.uuid, data=changes, now=now, strict=strict
        )
        created = False
    else:
        data = BatchCreate.model_validate({**row.batch_fields(), "work_center_id": center.uuid})
        batch = batches_service.create_batch(session, outbox=runtime.outbox, data=data, now=now)
        created = True
    _add_products(session, runtime.outbox, batch, row, now=now)
    if row.is_closed and not batch.is_closed:
        batches_service.close(
            session,
            outbox=runtime.outbox,
            batch_id=batch.uuid,
            closed_at=row.closed_at,
            now=now,
            strict=strict,
        )
    return created


def _work_center(session: Session, row: ImportedRow, *, now: datetime) -> WorkCenter:
    center = session.scalar(select(WorkCenter).where(WorkCenter.identifier == row.work_center_identifier))
    if center is None:
        data = WorkCenterCreate.model_validate(
            {"identifier": row.work_center_identifier, "name": row.work_center_name}
        )
        center = work_centers_service.create(session, data=data, now=now)
    return center


def _add_products(
    session: Session, outbox: WebhookOutbox, batch: Batch, row: ImportedRow, *, now: datetime
) -> None:
    if not row.products:
        return
    have = set(session.scalars(select(Product.unique_code).where(Product.batch_id == batch.uuid)))
    unique = {item.unique_code: item for item in row.products}
    fresh = [item for code, item in unique.items() if code not in have]
    if not fresh:
        return
    if batch.is_closed:
        raise InvalidState(batches_service.CLOSED_NO_ADD)
    # The add-product rule of the batch service (a code is unique across batches), without reloading the
    # batch after every code as the one-product route does.
    to_aggregate: dict[datetime, list[Product]] = defaultdict(list)
    for item in fresh:
        product = batches_service.new_product(session, batch=batch, unique_code=item.unique_code, now=now)
        events_service.emit(
            session, outbox, "batch.product_added", batches_service.product_event(batch, product)
        )
        if item.is_aggregated:
            to_aggregate[item.aggregated_at or now].append(product)
    batch.updated_at = now
    session.flush()
    for moment, products in to_aggregate.items():
        batches_service.mark_aggregated(
            session, outbox, batch, products, aggregated_at=moment, now=now, announce_batch=False
        )
