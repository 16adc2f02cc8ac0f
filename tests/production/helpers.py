"""Helpers of the production tests: a movable clock, request shortcuts, the document's example bodies."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

WORK_CENTER = {"identifier": "WC-001", "name": "Цех №1"}

BATCH = {
    "task_description": "Описание задания",
    "shift": "1",
    "team": "Бригада А",
    "batch_number": 1001,
    "batch_date": "2025-01-20",
    "nomenclature": "Номенклатура товара",
    "ekn_code": "EKN-001",
    "shift_start": "2025-01-20T08:00:00Z",
    "shift_end": "2025-01-20T20:00:00Z",
}


class Api:
    """Request shortcuts that assert the expected status and return the JSON body."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def call(self, method: str, path: str, expected: int, **kwargs: Any) -> Any:
        """Send, check the status (showing the body when it differs), return the JSON body or None."""
        response: Response = self.client.request(method, path, **kwargs)
        assert response.status_code == expected, (response.status_code, response.text)
        return response.json() if response.content else None

    def work_center(self, **overrides: Any) -> dict[str, Any]:
        """Create a work center (the document's example unless overridden)."""
        return self.call("POST", "/api/work_centers", 201, json={**WORK_CENTER, **overrides})

    def batch(self, work_center_id: str | None = None, **overrides: Any) -> dict[str, Any]:
        """Create a batch on `work_center_id` (a new work center when omitted)."""
        if work_center_id is None:
            work_center_id = self.work_center(identifier=f"WC-{overrides.get('batch_number', 1001)}")["uuid"]
        body = {**BATCH, "work_center_id": work_center_id, **overrides}
        return self.call("POST", "/api/batches", 201, json=body)

    def add_product(self, batch_id: str, code: str) -> dict[str, Any]:
        """Add a product; returns the batch."""
        return self.call("POST", f"/api/batches/{batch_id}/products", 200, json={"unique_code": code})

    def wait_jobs(self, timeout: float = 30.0) -> None:
        """Wait until the in-process runner has finished every submitted job."""
        runner = self.client.app.state.runner  # type: ignore[attr-defined]
        assert runner.join(timeout), "jobs did not finish in time"
