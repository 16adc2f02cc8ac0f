"""The plain rows of an import chunk written at once: rows that only create a new open batch.

A row qualifies when nothing it names is taken or shared: its (number, date) is in no batch and in no
earlier row of the chunk, none of its codes is in a product or an earlier row, it is not closed and has no
aggregated product. For such a row the batch service's rules reduce to the schema checks, which run here
row by row with the service's messages; the batches, products, missing work centers and events are then
written with one multi-row insert each. Every other row takes the per-row path (`service.apply_row`),
so the rules live once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from opsuite.production.batches import service as batches_service
from opsuite.production.batches.models import Batch
from opsuite.production.batches.schemas import BatchCreate
from opsuite.production.events import service as events_service
from opsuite.production.imports.parsing import ImportedRow
from opsuite.production.products.models import Product
from opsuite.production.webhooks.delivery import WebhookOutbox
from opsuite.production.work_centers.models import WorkCenter
from opsuite.production.work_centers.schemas import WorkCenterCreate

_PLACEHOLDER = uuid.UUID(int=0)  # a work center id for validating a batch before its center exists
_IN_LIMIT = 2000  # values in one IN (…): under every backend's parameter limit

Key = tuple[int, date]


@dataclass
class Fresh:
    """A row that creates a new open batch with new products, validated."""

    line: int
    batch: BatchCreate
    center: WorkCenterCreate  # created from this when missing
    identifier: str  # the center as the row names it (looked up by this)
    codes: list[str]


@dataclass
class Touched:
    """What the chunk's rows name that already exists: batch keys, product codes, work centers.

    Read with one query each for the whole chunk; rows claim keys and codes as they are accepted, so a
    later row naming the same goes the per-row way and sees the earlier one's effect.
    """

    keys: set[Key] = field(default_factory=set)
    codes: set[str] = field(default_factory=set)
    centers: set[str] = field(default_factory=set)

    @classmethod
    def read(cls, session: Session, rows: Iterable[ImportedRow]) -> Touched:
        """The taken keys, codes and existing centers among those `rows` name."""
        rows = list(rows)
        numbers = {row.batch_number for row in rows}
        wanted = {(row.batch_number, row.batch_date) for row in rows}
        touched = cls()
        for part in _parts(numbers):
            found = session.execute(
                select(Batch.batch_number, Batch.batch_date).where(Batch.batch_number.in_(part))
            )
            touched.keys.update(key for key in found.tuples() if key in wanted)
        for part in _parts({item.unique_code for row in rows for item in row.products}):
            touched.codes.update(
                session.scalars(select(Product.unique_code).where(Product.unique_code.in_(part)))
            )
        for part in _parts({row.work_center_identifier for row in rows}):
            touched.centers.update(
                session.scalars(select(WorkCenter.identifier).where(WorkCenter.identifier.in_(part)))
            )
        return touched

    def fresh(self, line: int, row: ImportedRow) -> Fresh | None:
        """The row validated for the bulk path, or None when it must take the per-row path.

        Raises pydantic's ValidationError with the per-row path's message when a schema refuses it.
        """
        codes = list(dict.fromkeys(item.unique_code for item in row.products))
        if (
            (row.batch_number, row.batch_date) in self.keys
            or row.is_closed
            or any(item.is_aggregated for item in row.products)
            or any(code in self.codes for code in codes)
        ):
            return None
        # The per-row path validates a missing center (only) first, then the batch.
        fields = {"identifier": row.work_center_identifier, "name": row.work_center_name}
        if row.work_center_identifier in self.centers:
            center = WorkCenterCreate.model_construct(None, **fields)
        else:
            center = WorkCenterCreate.model_validate(fields)
        batch = BatchCreate.model_validate({**row.batch_fields(), "work_center_id": _PLACEHOLDER})
        if (batch.batch_number, batch.batch_date) in self.keys:
            return None
        self.keys.add((batch.batch_number, batch.batch_date))
        self.codes.update(codes)
        self.centers.add(row.work_center_identifier)
        return Fresh(
            line=line, batch=batch, center=center, identifier=row.work_center_identifier, codes=codes
        )

    def after_row(self, session: Session, row: ImportedRow) -> None:
        """Note what a per-row import may have taken: its key and codes; whether its center exists now."""
        self.keys.add((row.batch_number, row.batch_date))
        self.codes.update(item.unique_code for item in row.products)
        exists = session.scalar(
            select(WorkCenter.uuid).where(WorkCenter.identifier == row.work_center_identifier)
        )
        if exists is None:
            self.centers.discard(row.work_center_identifier)
        else:
            self.centers.add(row.work_center_identifier)


def write(session: Session, outbox: WebhookOutbox, rows: list[Fresh], *, now: datetime) -> None:
    """Insert the rows' missing work centers, batches, products and events, a multi-row insert each."""
    if not rows:
        return
    identifiers = {row.identifier for row in rows}
    centers: dict[str, uuid.UUID] = {}
    for part in _parts(identifiers):
        centers.update(
            session.execute(
                select(WorkCenter.identifier, WorkCenter.uuid).where(WorkCenter.identifier.in_(part))
            )
            .tuples()
            .all()
        )
    new_centers = []
    for row in rows:
        if row.identifier not in centers:
            centers[row.identifier] = uuid.uuid4()
            new_centers.append(
                {"uuid": centers[row.identifier], "created_at": now, "updated_at": None,
                 "identifier": row.center.identifier, "name": row.center.name}
            )  # fmt: skip
    batches: list[dict[str, Any]] = []
    products: list[dict[str, Any]] = []
    created: list[dict[str, Any]] = []
    added: list[dict[str, Any]] = []
    for row in rows:
        batch_id = uuid.uuid4()
        values = {**row.batch.model_dump(), "work_center_id": centers[row.identifier]}
        batches.append(
            {**values, "uuid": batch_id, "created_at": now, "updated_at": now if row.codes else None,
             "is_closed": False, "closed_at": None}
        )  # fmt: skip
        created.append(
            batches_service.created_event_data(
                batch_id, values["batch_number"], values["batch_date"], values["work_center_id"]
            )
        )
        for code in row.codes:
            product_id = uuid.uuid4()
            products.append(
                {"uuid": product_id, "created_at": now, "updated_at": None, "unique_code": code,
                 "batch_id": batch_id, "is_aggregated": False, "aggregated_at": None}
            )  # fmt: skip
            added.append(
                batches_service.product_event_data(batch_id, values["batch_number"], product_id, code)
            )
    if new_centers:
        session.execute(insert(_table(WorkCenter)), new_centers)
    session.execute(insert(_table(Batch)), batches)
    if products:
        session.execute(insert(_table(Product)), products)
    events_service.emit_many(session, outbox, "batch.created", created)
    events_service.emit_many(session, outbox, "batch.product_added", added)


def _parts(values: set[Any]) -> Iterable[list[Any]]:
    ordered = list(values)
    for start in range(0, len(ordered), _IN_LIMIT):
        yield ordered[start : start + _IN_LIMIT]


def _table(model: Any) -> Table:
    """A model's table, for Core multi-row inserts (no ORM bookkeeping per row)."""
    return cast(Table, model.__table__)
