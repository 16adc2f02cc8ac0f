"""The chunked import (bulk writes for plain new batches) ends exactly as importing every row on its own."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from opsuite.core.db import Database
from opsuite.production.app import create_app
from opsuite.production.batches.models import Batch
from opsuite.production.exports.service import COLUMNS
from opsuite.production.imports import bulk
from opsuite.production.products.models import Product
from opsuite.production.settings import ProductionSettings
from opsuite.production.webhooks.models import WebhookDelivery
from opsuite.production.work_centers.models import WorkCenter
from tests.clock import FakeClock
from tests.production.conftest import START
from tests.production.helpers import Api

HEADER = list(COLUMNS[:12])
ROW = {
    "batch_date": "2025-02-01",
    "nomenclature": "Молоко 1 л",
    "ekn_code": "EKN-100",
    "shift": "1",
    "team": "Бригада А",
    "task_description": "Розлив",
    "shift_start": "2025-02-01T08:00:00Z",
    "shift_end": "2025-02-01T20:00:00Z",
    "work_center_identifier": "WC-1",
    "work_center_name": "Цех 1",
    "products": "",
}
MIXED = [
    {**ROW, "batch_number": "1", "products": "C-1,C-2,C-1"},  # bulk; a code twice in one row
    {**ROW, "batch_number": "2", "work_center_identifier": "WC-2", "work_center_name": "Первое имя"},
    {**ROW, "batch_number": "3", "work_center_identifier": "WC-2", "work_center_name": "Второе имя"},
    {**ROW, "batch_number": "1"},  # the key of line 2: per-row, 409 text
    {**ROW, "batch_number": "4", "products": "C-2"},  # a code of line 2: per-row, fails
    {**ROW, "batch_number": "5", "shift_end": "2025-02-01T07:00:00Z"},  # schema: shift order
    {**ROW, "batch_number": "6", "is_closed": "true", "closed_at": "2025-02-01T21:00:00Z", "products": "C-6"},
    {**ROW, "batch_number": "7", "work_center_identifier": "WC-3", "work_center_name": " "},  # required
    {
        **ROW,
        "batch_number": "8",
        "products": "C-8",
        "work_center_identifier": "WC-3",
        "work_center_name": "Ц3",
    },
    {**ROW, "batch_number": "9", "products": '[{"unique_code": "C-9", "is_aggregated": true}]'},
    {**ROW, "batch_number": "10", "products": "C-6"},  # a code of the closed line 8
    {**ROW, "batch_number": "11", "team": "x" * 300},  # schema: too long
    {**ROW, "batch_number": "12", "products": "C-12"},
]


def _csv(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=[*HEADER, "is_closed", "closed_at"], restval="")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _import_into(url: str, tmp_path: Any, content: bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    """Import `content` into the database at `url`; the job's result and what the database holds."""
    settings = ProductionSettings(
        database_url=url, scheduler_enabled=False, webhook_retry_base_seconds=0, core={"var_dir": tmp_path}
    )
    database = Database(url)
    with TestClient(create_app(settings, database, clock=FakeClock(START))) as client:
        api = Api(client)
        api.call("POST", "/api/webhooks", 201, json={
            "url": "https://example.com/webhook", "events": ["batch.created", "batch.product_added"],
            "secret_key": "webhook_secret_key", "is_active": True, "retry_count": 3, "timeout": 10,
        })  # fmt: skip
        accepted = api.call("POST", "/api/batches/import", 202, files={"file": ("rows.csv", content)})
        api.wait_jobs()
        result = api.call("GET", f"/api/background_tasks/{accepted['task_id']}", 200)["result"]
    with database.session(write=False) as session:
        centers = {c.uuid: (c.identifier, c.name) for c in session.scalars(select(WorkCenter))}
        batches = {
            b.uuid: (b.batch_number, centers[b.work_center_id], b.team, b.is_closed, b.updated_at is not None)
            for b in session.scalars(select(Batch))
        }
        state = {
            "centers": sorted(centers.values()),
            "batches": sorted(batches.values()),
            "products": sorted(
                (p.unique_code, batches[p.batch_id][0], p.is_aggregated)
                for p in session.scalars(select(Product))
            ),
            "events": sorted(
                (d.event_type, d.payload.get("batch_number"), d.payload.get("unique_code"))
                for d in session.scalars(select(WebhookDelivery))
            ),
        }
    database.dispose()
    return result, state


def test_chunked_import_equals_the_per_row_import(
    template: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = _csv(MIXED)
    urls = [template.new(), template.new()]
    try:
        chunked = _import_into(urls[0], tmp_path / "chunked", content)
        monkeypatch.setattr(bulk.Touched, "fresh", lambda self, line, row: None)  # every row on its own
        per_row = _import_into(urls[1], tmp_path / "per-row", content)
    finally:
        for url in urls:
            template.drop(url)
    assert chunked == per_row
    result, state = chunked
    assert {k: result[k] for k in ("total", "created", "updated", "failed")} == {
        "total": 13, "created": 7, "updated": 0, "failed": 6,
    }  # fmt: skip
    assert [error["row"] for error in result["errors"]] == [5, 6, 7, 9, 12, 13]  # lines, header = 1
    assert state["centers"] == [("WC-1", "Цех 1"), ("WC-2", "Первое имя"), ("WC-3", "Ц3")]
    assert [code for code, _, _ in state["products"]] == ["C-1", "C-12", "C-2", "C-6", "C-8", "C-9"]
