"""One lock per device: a second operation on a busy device is 409 "Устройство занято"."""

from __future__ import annotations

import threading
from datetime import timedelta

from tests.scales.helpers import Api, GatedScale, Scales

from opsuite.core.jobs import acquire_lease
from opsuite.scales.devices.sample_products import generate_product_file
from opsuite.scales.jobs.models import Lease
from opsuite.scales.runtime import Runtime

BUSY = {"detail": "Устройство занято другой операцией, повторите позже"}


def test_second_operation_during_a_fetch_is_409_and_the_first_completes(alice: Api, scales: Scales) -> None:
    gated = GatedScale(generate_product_file(3))
    scales.fakes[1111] = gated
    scales.fakes[2222] = GatedScale(generate_product_file(1))
    scales.fakes[2222].gate.set()
    alice.add_device()
    alice.add_device(name="Other", port=2222)
    results: dict[str, object] = {}

    def first() -> None:
        response = alice.get("/devices/1/products")
        results["first"] = (response.status_code, response.json())

    worker = threading.Thread(target=first)
    worker.start()
    assert gated.entered.wait(5)
    for method, path, body in (
        ("GET", "/devices/1/products", None),
        ("POST", "/devices/1/upload", None),
        ("POST", "/devices/1/test", None),
        ("PATCH", "/devices/1/products/1", {"fields": {"price": 1}}),
    ):
        response = alice.call(method, path, json=body)
        assert (path, response.status_code, response.json()) == (path, 409, BUSY)
    # Another device is not affected, and reads of the cache never wait.
    assert alice.get("/devices/2/products").status_code == 200
    assert alice.get("/devices/1/products/cached").status_code == 200
    gated.gate.set()
    worker.join(10)
    assert results["first"] == (200, {"products": generate_product_file(3)})
    assert gated.calls == ["fetch_products"]
    assert alice.post("/devices/1/test").status_code == 200


def test_lock_held_by_another_worker_is_409_until_it_expires(alice: Api, app: object, clock: object) -> None:
    alice.add_device()
    runtime: Runtime = app.state.runtime  # type: ignore[attr-defined]
    with runtime.database.session() as session:
        assert acquire_lease(
            session, Lease, "device:1", holder="other-worker", ttl=timedelta(seconds=34), now=clock.now()
        )  # type: ignore[operator]
    response = alice.post("/devices/1/test")
    assert (response.status_code, response.json()) == (409, BUSY)
    assert alice.get("/devices/1/log").json()[0]["detail"] == BUSY["detail"]
    clock.advance(seconds=34)  # type: ignore[attr-defined]
    assert alice.post("/devices/1/test").status_code == 200
