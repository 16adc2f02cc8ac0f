"""The task status body."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from opsuite.production.common.schemas import examples

TaskStatus = Literal["PENDING", "PROGRESS", "SUCCESS", "FAILURE"]


class TaskAccepted(BaseModel):
    """The 202 answer of a route that started a job."""

    task_id: str
    status: Literal["PENDING"] = "PENDING"
    message: str


class TaskOut(BaseModel):
    """A job's state; `result` is the progress, the result or `{"error": ...}` depending on `status`."""

    model_config = examples(
        {"task_id": "550e8400e29b41d4a716446655440000", "status": "PENDING", "result": None},
        {
            "task_id": "550e8400e29b41d4a716446655440000",
            "status": "PROGRESS",
            "result": {"current": 50, "total": 100, "percent": 50},
        },
        {
            "task_id": "550e8400e29b41d4a716446655440000",
            "status": "SUCCESS",
            "result": {
                "file_id": "550e8400-e29b-41d4-a716-446655440001",
                "download_url": "/api/reports/550e8400-e29b-41d4-a716-446655440001",
            },
        },
        {
            "task_id": "550e8400e29b41d4a716446655440000",
            "status": "FAILURE",
            "result": {"error": "Ошибка обработки файла"},
        },
    )

    task_id: str
    status: TaskStatus
    result: Any = Field(default=None)
