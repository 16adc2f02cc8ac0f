"""The outbox delivery columns, mixed into a system's own table."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Float, Integer, LargeBinary, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from opsuite.core.db import UTCDateTime

RESPONSE_BODY_LIMIT = 256
"""Characters of a reply kept in `response_body` by default: enough to debug a receiver, too few to read
another service through the log."""


class DeliveryStatus(StrEnum):
    """`pending` until the final attempt decides `success` or `failed`."""

    PENDING = "pending"
    SUCCESS = "success"
    FAILED = "failed"


class OutboxMixin:
    """One outgoing message and the log of its attempts.

    `body` holds the exact bytes sent, serialised once when the row is made, so every retry sends and signs
    identical bytes; `payload` is the event data kept for reading. A system's table should index
    `(status, next_attempt_at)` for the sweeper. `locked_until` is the claim of the worker
    sending the current attempt, `next_attempt_at` when the next one is due (null once final).
    """

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    event_type: Mapped[str] = mapped_column(String(100))
    payload: Mapped[Any] = mapped_column(JSON)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=1)
    timeout: Mapped[float] = mapped_column(Float, default=10.0)
    response_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    response_body: Mapped[str | None] = mapped_column(Text, nullable=True)
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
