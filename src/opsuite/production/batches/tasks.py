"""Batch jobs: aggregation of many codes in the background."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select

from opsuite.core.jobs import TaskContext, TaskRegistry
from opsuite.production.batches import service
from opsuite.production.errors import InvalidState
from opsuite.production.products.models import Product
from opsuite.production.runtime import Runtime

AGGREGATE = "batches.aggregate"
CHUNK = 500


def register(registry: TaskRegistry, runtime: Runtime) -> None:
    """Add the batch tasks to the registry."""

    @registry.task(AGGREGATE)
    def aggregate_codes(
        ctx: TaskContext,
        *,
        batch_id: str,
        aggregated_at: str | None = None,
        unique_codes: list[str] | None = None,
    ) -> dict[str, Any]:
        return aggregate_job(
            ctx, runtime, batch_id=batch_id, aggregated_at=aggregated_at, unique_codes=unique_codes
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
        service.check_can_aggregate_async(session, batch_id=key)
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
            batch = service.get(session, key, for_update=True)
            if batch.is_closed:
                raise InvalidState(service.CLOSED_NO_AGGREGATE)
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
            service.mark_aggregated(
                session, batch, fresh, aggregated_at=moment, now=now, announce_batch=False
            )
            aggregated += len(fresh)
        ctx.progress(min(start + CHUNK, total), total)
    if aggregated:
        with ctx.database.session() as session:
            service.announce_aggregated(
                session, service.get(session, key), aggregated_at=moment, count=aggregated
            )
    return {
        "success": not errors,
        "total": total,
        "aggregated": aggregated,
        "failed": len(errors),
        "errors": errors,
    }
