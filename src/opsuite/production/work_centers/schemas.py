"""Work center bodies."""

from __future__ import annotations

from typing import Annotated

from opsuite.production.common.schemas import TEXT, EntityOut, In, examples, non_blank

Identifier = Annotated[str, TEXT, non_blank("Идентификатор рабочего центра не может быть пустым")]
Name = Annotated[str, TEXT, non_blank("Название рабочего центра не может быть пустым")]


class WorkCenterCreate(In):
    """A new work center."""

    model_config = examples({"identifier": "WC-010", "name": "Цех №10"})  # not in the demo data

    identifier: Identifier
    name: Name


class WorkCenterUpdate(In):
    """A partial change; every field optional."""

    model_config = examples({"identifier": "WC-002", "name": "Цех №2 (кисломолочный)"})  # applied to WC-002

    identifier: Identifier | None = None
    name: Name | None = None


class WorkCenterOut(EntityOut):
    """A work center."""

    model_config = examples(
        {
            "uuid": "770e8400-e29b-41d4-a716-446655440000",
            "created_at": "2025-01-15T10:30:00Z",
            "updated_at": None,
            "identifier": "WC-001",
            "name": "Цех №1",
        }
    )

    identifier: str
    name: str
