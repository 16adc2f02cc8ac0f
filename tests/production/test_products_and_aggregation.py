"""Products in batches, product and batch aggregation (sync and as a job), and task status."""

from __future__ import annotations

import uuid
from typing import Any

from tests.production.helpers import Api


def _clock(api: Api) -> Any:
    return api.client.app.state.runtime.clock  # type: ignore[attr-defined]


def test_add_and_remove_products(api: Api) -> None:
    batch = api.batch()
    first = api.add_product(batch["uuid"], " PROD-001 ")["products"][0]
    assert first["unique_code"] == "PROD-001"
    _clock(api).advance(seconds=1)
    both = api.add_product(batch["uuid"], "PROD-002")
    assert [p["unique_code"] for p in both["products"]] == ["PROD-001", "PROD-002"]
    _clock(api).advance(minutes=35)
    after = api.call("DELETE", f"/api/batches/{batch['uuid']}/products/{first['uuid']}", 200)
    assert [p["unique_code"] for p in after["products"]] == ["PROD-002"]
    assert after["updated_at"] == "2025-01-15T11:05:01Z"
    assert api.call("GET", f"/api/products/{first['uuid']}", 404) == {
        "detail": f"Продукт с UUID {first['uuid']} не найден"
    }


def test_product_refusals(api: Api) -> None:
    batch = api.batch()
    other = api.batch(batch_number=2)
    api.add_product(batch["uuid"], "PROD-001")
    taken = {"detail": "Продукт с кодом PROD-001 уже существует"}
    assert (
        api.call("POST", f"/api/batches/{batch['uuid']}/products", 409, json={"unique_code": "PROD-001"})
        == taken
    )
    assert (
        api.call("POST", f"/api/batches/{other['uuid']}/products", 409, json={"unique_code": "PROD-001"})
        == taken
    )
    foreign = api.add_product(other["uuid"], "PROD-XYZ")["products"][0]
    assert api.call("DELETE", f"/api/batches/{batch['uuid']}/products/{foreign['uuid']}", 404) == {
        "detail": "Продукт не найден в партии"
    }
    body = api.call("POST", f"/api/batches/{batch['uuid']}/products", 422, json={"unique_code": "  "})
    assert "Уникальный код не может быть пустым" in body["errors"][0]["msg"]
    assert api.call("POST", f"/api/batches/{batch['uuid']}/products", 422, json={"unique_code": "x" * 256})
    missing = uuid.uuid4()
    assert api.call("POST", f"/api/batches/{missing}/products", 404, json={"unique_code": "N"}) == {
        "detail": f"Партия с UUID {missing} не найдена"
    }
    api.call("PATCH", f"/api/batches/{batch['uuid']}/close", 200)
    assert api.call("POST", f"/api/batches/{batch['uuid']}/products", 409, json={"unique_code": "NEW"}) == {
        "detail": "Нельзя добавлять продукты в закрытую партию"
    }
    product = api.call("GET", f"/api/batches/{batch['uuid']}", 200)["products"][0]
    assert api.call("DELETE", f"/api/batches/{batch['uuid']}/products/{product['uuid']}", 409) == {
        "detail": "Нельзя удалять продукты из закрытой партии"
    }


def test_sync_batch_aggregation_is_202_with_the_batch(api: Api) -> None:
    batch = api.batch()
    api.add_product(batch["uuid"], "A")
    _clock(api).advance(seconds=1)
    early = api.add_product(batch["uuid"], "B")["products"][1]
    api.call(
        "PATCH",
        f"/api/products/{early['uuid']}/aggregate",
        200,
        json={"aggregated_at": "2025-01-20T09:00:00Z"},
    )
    _clock(api).advance(hours=1)
    result = api.call(
        "PATCH",
        f"/api/batches/{batch['uuid']}/aggregate",
        202,
        json={"aggregated_at": "2025-01-20T18:00:00Z"},
    )
    assert [
        (p["unique_code"], p["is_aggregated"], p["aggregated_at"], p["updated_at"])
        for p in result["products"]
    ] == [
        ("A", True, "2025-01-20T18:00:00Z", "2025-01-15T11:30:01Z"),
        ("B", True, "2025-01-20T09:00:00Z", "2025-01-15T10:30:01Z"),
    ]
    assert result["updated_at"] == "2025-01-15T11:30:01Z"
    # Without a body the time is now.
    _clock(api).advance(seconds=1)
    api.add_product(batch["uuid"], "C")
    again = api.call("PATCH", f"/api/batches/{batch['uuid']}/aggregate", 202)
    assert again["products"][2]["aggregated_at"] == "2025-01-15T11:30:02Z"


def test_sync_aggregation_refusals(api: Api) -> None:
    batch = api.batch()
    assert api.call("PATCH", f"/api/batches/{batch['uuid']}/aggregate", 409) == {
        "detail": "Нельзя агрегировать партию без продуктов"
    }
    api.add_product(batch["uuid"], "A")
    api.call("PATCH", f"/api/batches/{batch['uuid']}/close", 200)
    assert api.call("PATCH", f"/api/batches/{batch['uuid']}/aggregate", 409) == {
        "detail": "Нельзя агрегировать закрытую партию"
    }


def test_product_aggregation(api: Api) -> None:
    batch = api.batch()
    product = api.add_product(batch["uuid"], "PROD-001")["products"][0]
    _clock(api).advance(minutes=30)  # also orders PROD-002 after PROD-001
    done = api.call(
        "PATCH",
        f"/api/products/{product['uuid']}/aggregate",
        200,
        json={"aggregated_at": "2025-01-20T18:00:00Z"},
    )
    assert done == {
        **product,
        "updated_at": "2025-01-15T11:00:00Z",
        "is_aggregated": True,
        "aggregated_at": "2025-01-20T18:00:00Z",
    }
    assert api.call("GET", f"/api/products/{product['uuid']}", 200) == done
    assert api.call("PATCH", f"/api/products/{product['uuid']}/aggregate", 409) == {
        "detail": "Продукт уже агрегирован"
    }
    other = api.add_product(batch["uuid"], "PROD-002")["products"][1]
    api.call("PATCH", f"/api/batches/{batch['uuid']}/close", 200)
    assert api.call("PATCH", f"/api/products/{other['uuid']}/aggregate", 409) == {
        "detail": "Нельзя агрегировать продукт закрытой партии"
    }


def test_products_list_sorting_and_filters(api: Api) -> None:
    batch = api.batch()
    for code in ("B", "C", "A"):
        api.add_product(batch["uuid"], code)
        _clock(api).advance(seconds=1)
    page = api.call("GET", "/api/products?sort_field=unique_code&sort_direction=ASC&limit=2", 200)
    assert ([p["unique_code"] for p in page["items"]], page["total"], page["limit"]) == (["A", "B"], 3, 2)
    assert [p["unique_code"] for p in api.call("GET", "/api/products", 200)["items"]] == ["A", "C", "B"]
    api.call("PATCH", f"/api/batches/{batch['uuid']}/aggregate", 202)
    assert api.call("GET", "/api/products?is_aggregated=false", 200)["total"] == 0
    assert api.call("GET", f"/api/products?batch_id={batch['uuid']}", 200)["total"] == 3
    assert api.call("GET", "/api/products?sort_field=batch_id", 422) == {
        "detail": "Недопустимое поле сортировки для products: batch_id. Допустимые значения: "
        "created_at, updated_at, unique_code, is_aggregated, aggregated_at"
    }


def test_async_aggregation_of_the_whole_batch(api: Api) -> None:
    batch = api.batch()
    for index in range(3):
        api.add_product(batch["uuid"], f"P-{index}")
    accepted = api.call("PATCH", f"/api/batches/{batch['uuid']}/aggregate_async", 202, json={})
    assert accepted == {
        "task_id": accepted["task_id"],
        "status": "PENDING",
        "message": "Aggregation task started",
    }
    api.wait_jobs()
    status = api.call("GET", f"/api/background_tasks/{accepted['task_id']}", 200)
    assert status == {
        "task_id": accepted["task_id"],
        "status": "SUCCESS",
        "result": {"success": True, "total": 3, "aggregated": 3, "failed": 0, "errors": []},
    }
    products = api.call("GET", f"/api/batches/{batch['uuid']}", 200)["products"]
    assert {(p["is_aggregated"], p["aggregated_at"]) for p in products} == {(True, "2025-01-15T10:30:00Z")}


def test_async_aggregation_of_given_codes_reports_each_refusal(api: Api) -> None:
    batch = api.batch()
    other = api.batch(batch_number=2)
    api.add_product(batch["uuid"], "OK-1")
    done = next(p for p in api.add_product(batch["uuid"], "DONE")["products"] if p["unique_code"] == "DONE")
    api.call("PATCH", f"/api/products/{done['uuid']}/aggregate", 200)
    api.add_product(other["uuid"], "ELSEWHERE")
    accepted = api.call(
        "PATCH",
        f"/api/batches/{batch['uuid']}/aggregate_async",
        202,
        json={
            "aggregated_at": "2025-01-20T18:00:00Z",
            "unique_codes": ["OK-1", "DONE", "ELSEWHERE", "GHOST", "OK-1"],
        },
    )
    api.wait_jobs()
    assert api.call("GET", f"/api/background_tasks/{accepted['task_id']}", 200)["result"] == {
        "success": False,
        "total": 4,
        "aggregated": 1,
        "failed": 3,
        "errors": [
            {"code": "DONE", "reason": "already aggregated"},
            {"code": "ELSEWHERE", "reason": "wrong batch"},
            {"code": "GHOST", "reason": "not found"},
        ],
    }
    ok = api.call("GET", "/api/products?is_aggregated=true&sort_field=unique_code&sort_direction=asc", 200)
    assert [(p["unique_code"], p["aggregated_at"]) for p in ok["items"]] == [
        ("DONE", "2025-01-15T10:30:00Z"),
        ("OK-1", "2025-01-20T18:00:00Z"),
    ]


def test_async_aggregation_is_checked_before_the_job(api: Api) -> None:
    missing = uuid.uuid4()
    assert api.call("PATCH", f"/api/batches/{missing}/aggregate_async", 404) == {
        "detail": f"Партия с UUID {missing} не найдена"
    }
    batch = api.batch()
    api.call("PATCH", f"/api/batches/{batch['uuid']}/close", 200)
    assert api.call("PATCH", f"/api/batches/{batch['uuid']}/aggregate_async", 409) == {
        "detail": "Нельзя агрегировать закрытую партию"
    }


def test_task_status_unknown_and_expired(api: Api) -> None:
    assert api.call("GET", "/api/background_tasks/never-issued", 404) == {"detail": "Задача не найдена"}
    batch = api.batch()
    api.add_product(batch["uuid"], "A")
    accepted = api.call("PATCH", f"/api/batches/{batch['uuid']}/aggregate_async", 202)
    api.wait_jobs()
    _clock(api).advance(hours=23, minutes=59)
    assert api.call("GET", f"/api/background_tasks/{accepted['task_id']}", 200)["status"] == "SUCCESS"
    _clock(api).advance(minutes=1)
    assert api.call("GET", f"/api/background_tasks/{accepted['task_id']}", 404) == {
        "detail": "Задача не найдена"
    }
