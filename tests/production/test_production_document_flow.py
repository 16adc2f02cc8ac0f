"""The document's own curl examples, run as written."""

from __future__ import annotations

from tests.production.helpers import BATCH, Api


def test_create_batch_add_product_close_as_in_the_document(api: Api) -> None:
    center = api.work_center()
    created = api.call("POST", "/api/batches", 201, json={**BATCH, "work_center_id": center["uuid"]})
    batch_id = created["uuid"]
    assert created == {
        "uuid": batch_id,
        "created_at": "2025-01-15T10:30:00Z",
        "updated_at": None,
        "is_closed": False,
        "closed_at": None,
        "task_description": "Описание задания",
        "shift": "1",
        "team": "Бригада А",
        "batch_number": 1001,
        "batch_date": "2025-01-20",
        "nomenclature": "Номенклатура товара",
        "ekn_code": "EKN-001",
        "shift_time_range": {"start": "2025-01-20T08:00:00Z", "end": "2025-01-20T20:00:00Z"},
        "work_center_id": center["uuid"],
        "products": [],
    }
    api.client.app.state.runtime.clock.advance(minutes=30)  # type: ignore[attr-defined]
    with_product = api.call(
        "POST", f"/api/batches/{batch_id}/products", 200, json={"unique_code": "PROD-001"}
    )
    product = with_product["products"][0]
    assert with_product["updated_at"] == "2025-01-15T11:00:00Z"
    assert product == {
        "uuid": product["uuid"],
        "created_at": "2025-01-15T11:00:00Z",
        "updated_at": None,
        "unique_code": "PROD-001",
        "batch_id": batch_id,
        "is_aggregated": False,
        "aggregated_at": None,
    }
    closed = api.call(
        "PATCH", f"/api/batches/{batch_id}/close", 200, json={"closed_at": "2025-01-20T20:00:00Z"}
    )
    assert (closed["is_closed"], closed["closed_at"]) == (True, "2025-01-20T20:00:00Z")
    assert closed["products"] == [product]
