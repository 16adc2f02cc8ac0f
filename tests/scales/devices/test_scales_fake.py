"""The in-memory fake behaves like a scale and fails on demand."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from opsuite.scales.devices.fake import FakeScale, PushRecord
from opsuite.scales.devices.interface import (
    ScaleBusyError,
    ScaleDevice,
    ScaleTimeoutError,
    ScaleUnreachableError,
)

Run = Callable[[Coroutine[Any, Any, Any]], Any]
FILE = {
    "products": [{"id": 1, "pluNumber": 1, "price": 10.0}],
    "categories": [{"idCategory": 1, "name": "Мясо"}],
}


def test_fake_satisfies_the_interface() -> None:
    assert isinstance(FakeScale(), ScaleDevice)


def test_fetch_returns_a_copy(run: Run) -> None:
    fake = FakeScale(FILE)

    async def scenario() -> None:
        first = await fake.fetch_products()
        first["products"][0]["price"] = 0.0
        assert await fake.fetch_products() == FILE
        assert fake.products == FILE

    run(scenario())
    assert fake.calls == ["fetch_products", "fetch_products"]


def test_push_replaces_when_clearing_and_merges_otherwise(run: Run) -> None:
    fake = FakeScale(FILE)

    async def scenario() -> None:
        await fake.push_products({"products": [{"id": 1, "price": 12.5}, {"id": 2}]})
        assert fake.products == {
            "products": [{"id": 1, "price": 12.5}, {"id": 2}],
            "categories": [{"idCategory": 1, "name": "Мясо"}],
        }
        await fake.push_products({"products": []}, clear_database=True)
        assert fake.products == {"products": []}

    run(scenario())
    assert fake.pushes == [
        PushRecord({"products": [{"id": 1, "price": 12.5}, {"id": 2}]}, False),
        PushRecord({"products": []}, True),
    ]


def test_fail_next_hits_only_the_named_operation_once(run: Run) -> None:
    fake = FakeScale(FILE)
    fake.fail_next(ScaleBusyError(199, "Предыдущий запрос ещё не завершён"), operation="push_products")

    async def scenario() -> None:
        assert await fake.fetch_products() == FILE
        with pytest.raises(ScaleBusyError):
            await fake.push_products({"products": []}, clear_database=True)
        await fake.push_products({"products": []}, clear_database=True)

    run(scenario())
    assert fake.calls == ["fetch_products", "push_products", "push_products"]
    assert len(fake.pushes) == 1


def test_fail_always_until_cleared(run: Run) -> None:
    fake = FakeScale(FILE)
    fake.fail_always(ScaleUnreachableError("down"))

    async def scenario() -> None:
        for call in (fake.fetch_products(), fake.device_info(), fake.push_products(FILE)):
            with pytest.raises(ScaleUnreachableError, match="down"):
                await call
        fake.clear_faults()
        assert (await fake.device_info()).serial_number == "FAKE0001"

    run(scenario())
    assert fake.products == FILE


def test_failed_push_leaves_the_file_untouched(run: Run) -> None:
    fake = FakeScale(FILE)
    fake.fail_next(ScaleTimeoutError("slow"))

    async def scenario() -> None:
        with pytest.raises(ScaleTimeoutError):
            await fake.push_products({"products": []}, clear_database=True)

    run(scenario())
    assert fake.products == FILE
    assert fake.pushes == []


def test_push_of_something_json_cannot_carry_raises_type_error(run: Run) -> None:
    fake = FakeScale(FILE)

    async def scenario() -> None:
        with pytest.raises(TypeError):
            await fake.push_products({"products": [object()]})

    run(scenario())
    assert fake.products == FILE
