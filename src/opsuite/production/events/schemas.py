"""Event type bodies."""

from __future__ import annotations

from pydantic import BaseModel

from opsuite.production.common.schemas import EntityOut, examples


class EventTypeOut(EntityOut):
    """One event type."""

    name: str
    version: int
    webhook_enabled: bool
    description: str | None


class EventTypeList(BaseModel):
    """Every event type, by name (no pagination)."""

    model_config = examples(
        {
            "items": [
                {
                    "uuid": "aa0e8400-e29b-41d4-a716-446655440000",
                    "created_at": "2025-01-15T10:30:00Z",
                    "updated_at": None,
                    "name": "batch.created",
                    "version": 1,
                    "webhook_enabled": True,
                    "description": "Событие создания партии",
                },
                {
                    "uuid": "bb0e8400-e29b-41d4-a716-446655440001",
                    "created_at": "2025-01-15T10:30:00Z",
                    "updated_at": None,
                    "name": "batch.closed",
                    "version": 1,
                    "webhook_enabled": True,
                    "description": "Событие закрытия партии",
                },
            ]
        }
    )

    items: list[EventTypeOut]
