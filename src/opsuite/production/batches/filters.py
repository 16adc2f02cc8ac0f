"""Batch filters shared by the list route and the export job."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from pydantic import ConfigDict, Field
from sqlalchemy import Select

from opsuite.core.fields import MAX_ID
from opsuite.production.batches.models import Batch
from opsuite.production.common.schemas import In, examples


class BatchFilters(In):
    """The document's batch filters; every one optional, dates inclusive, `shift` an exact match."""

    model_config = ConfigDict(
        extra="forbid",
        **examples({"is_closed": False}),  # the demo's open batches
    )

    is_closed: bool | None = None
    batch_number: int | None = Field(default=None, gt=0, le=MAX_ID)
    batch_date: date | None = None
    batch_date_from: date | None = None
    batch_date_to: date | None = None
    work_center_id: uuid.UUID | None = None
    shift: str | None = Field(default=None, max_length=255)


def filter_statement(statement: Select[Any], filters: BatchFilters) -> Select[Any]:
    """`statement` over batches narrowed by `filters`."""
    if filters.is_closed is not None:
        statement = statement.where(Batch.is_closed == filters.is_closed)
    if filters.batch_number is not None:
        statement = statement.where(Batch.batch_number == filters.batch_number)
    if filters.batch_date is not None:
        statement = statement.where(Batch.batch_date == filters.batch_date)
    if filters.batch_date_from is not None:
        statement = statement.where(Batch.batch_date >= filters.batch_date_from)
    if filters.batch_date_to is not None:
        statement = statement.where(Batch.batch_date <= filters.batch_date_to)
    if filters.work_center_id is not None:
        statement = statement.where(Batch.work_center_id == filters.work_center_id)
    if filters.shift is not None:
        statement = statement.where(Batch.shift == filters.shift)
    return statement
