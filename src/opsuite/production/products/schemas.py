"""Product bodies."""

from __future__ import annotations

import uuid
from datetime import datetime

from opsuite.production.common.schemas import EntityOut, examples


class ProductOut(EntityOut):
    """A marked unit."""

    model_config = examples(
        {
            "uuid": "660e8400-e29b-41d4-a716-446655440001",
            "created_at": "2025-01-15T10:35:00Z",
            "updated_at": "2025-01-20T18:00:00Z",
            "unique_code": "PROD-001",
            "batch_id": "550e8400-e29b-41d4-a716-446655440000",
            "is_aggregated": True,
            "aggregated_at": "2025-01-20T18:00:00Z",
        }
    )

    unique_code: str
    batch_id: uuid.UUID
    is_aggregated: bool
    aggregated_at: datetime | None
