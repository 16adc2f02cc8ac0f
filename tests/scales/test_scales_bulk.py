"""Upload to several devices at once: a job with one result per device."""

from __future__ import annotations

from typing import Any

from tests.scales.helpers import Api, Scales

from opsuite.scales.devices.interface import ScaleUnreachableError
from opsuite.scales.devices.sample_products import generate_product_file


def test_bulk_upload_reports_each_device(alice: Api, bob: Api, scales: Scales, app: Any) -> None:
    for port in (1111, 2222, 3333):
        scales[port].products = generate_product_file(2)
    alice.add_device()
    alice.add_device(name="B", port=2222)
    alice.add_device(name="C", port=3333)
    alice.get("/devices/1/products")
    alice.get("/devices/2/products")
    scales[2222].fail_always(ScaleUnreachableError("refused"), operation="push_products")
    started = alice.post("/devices/bulk-upload", json={"device_ids": [1, 2, 3, 1]})
    assert started.status_code == 202
    job_id = started.json()["id"]
    assert started.json() == {"id": job_id, "state": "PENDING", "result": None, "error": None}
    assert app.state.runner.join(10)
    job = alice.get(f"/jobs/{job_id}")
    assert job.json() == {
        "id": job_id,
        "state": "SUCCESS",
        "result": {
            "results": [
                {"device_id": 1, "status_code": 200, "detail": "ok"},
                {"device_id": 2, "status_code": 503, "detail": "Весы 127.0.0.1:2222 недоступны"},
                {
                    "device_id": 3,
                    "status_code": 409,
                    "detail": "Нет кэша товаров для загрузки: сначала прочитайте товары с весов",
                },
            ]
        },
        "error": None,
    }
    assert len(scales[1111].pushes) == 1
    assert bob.get(f"/jobs/{job_id}").json() == {"detail": "Задача не найдена"}
    assert bob.get(f"/jobs/{job_id}").status_code == 404


def test_bulk_upload_needs_at_least_one_device(alice: Api) -> None:
    response = alice.post("/devices/bulk-upload", json={"device_ids": []})
    assert response.status_code == 422
