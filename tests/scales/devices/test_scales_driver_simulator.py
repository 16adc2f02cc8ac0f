"""The asyncio driver against the simulator over real 127.0.0.1 sockets: the happy paths."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Coroutine
from typing import Any

from opsuite.scales.devices import protocol as p
from opsuite.scales.devices.interface import ConnectionParams, ScaleDevice
from opsuite.scales.devices.mertech import MertechScale
from opsuite.scales.devices.sample_products import generate_product_file
from opsuite.scales.devices.simulator import LoggedRequest, ScaleSimulator

Run = Callable[[Coroutine[Any, Any, Any]], Any]
DAY = dt.date(2026, 1, 15)


def driver(sim: ScaleSimulator, *, password: str = "1234", **options: Any) -> MertechScale:
    params = ConnectionParams(host="127.0.0.1", port=sim.port, password=password, timeout=2.0, deadline=20.0)
    return MertechScale(params, poll_interval=0.01, **options)


def odd_file() -> dict[str, Any]:
    """A file with keys and values our code knows nothing about; they must survive a round trip."""
    data = generate_product_file(3, seed=7, packed_on=DAY, without_plu=1)
    data["labelTemplates"][0]["futureField"] = {"nested": [1, 2.5, None, True, "ё"]}
    data["productRates"] = [
        {"productCode": 50, "startDate": "01-01-26", "updateDate": "02-01-26", "rate": 1.25}
    ]
    data["vendorExtension"] = "значение"
    data["products"][0]["barcodeStructure"] = '{"prefix":"21","parts":["code","weight"]}'
    data["products"][1]["price"] = 76.0
    data["products"][2]["name"] = "Сельдь\nпряного посола"
    return data


def test_driver_and_fake_satisfy_the_interface() -> None:
    assert isinstance(MertechScale(ConnectionParams(host="h", password="1234")), ScaleDevice)


def test_fetch_returns_the_scales_file_and_follows_the_protocol_steps(run: Run) -> None:
    stored = generate_product_file(20, seed=1, packed_on=DAY)

    async def scenario() -> None:
        async with ScaleSimulator(products=stored, creation_polls=3) as sim:
            assert await driver(sim).fetch_products() == stored
            assert sim.requests == [
                LoggedRequest(p.CMD_CREATE_PRODUCT_FILE, None),
                *[LoggedRequest(p.CMD_POLL_PRODUCT_FILE, None)] * 4,
                LoggedRequest(p.CMD_READ_FILE, p.STAGE_HASH_START),
                LoggedRequest(p.CMD_READ_FILE, p.STAGE_HASH_STATUS),
                LoggedRequest(p.CMD_READ_FILE, p.STAGE_CHUNK),
            ]

    run(scenario())


def test_fetch_reassembles_many_small_chunks(run: Run) -> None:
    stored = generate_product_file(40, seed=2, packed_on=DAY)
    size = len(p.encode_product_file(stored))

    async def scenario() -> None:
        async with ScaleSimulator(products=stored, chunk_size=97) as sim:
            assert await driver(sim).fetch_products() == stored
            chunk_requests = [r for r in sim.requests if r == LoggedRequest(p.CMD_READ_FILE, p.STAGE_CHUNK)]
            assert len(chunk_requests) == math.ceil(size / 97)

    run(scenario())


def test_push_then_fetch_preserves_unknown_keys_and_bytes(run: Run) -> None:
    data = odd_file()
    body = p.encode_product_file(data)

    async def scenario() -> None:
        async with ScaleSimulator(products=generate_product_file(5, seed=3, packed_on=DAY)) as sim:
            scale = driver(sim)
            await scale.push_products(data, clear_database=True)
            fetched = await scale.fetch_products()
            assert fetched == data
            assert p.encode_product_file(fetched) == body
            (upload,) = sim.uploads
            assert upload.digest == p.md5_digest(body)
            assert upload.size_big == len(body)
            assert upload.size_little == int.from_bytes(len(body).to_bytes(8, "big"), "little")
            assert upload.clear is True
            assert upload.accepted is True

    run(scenario())


def test_push_without_clear_merges_by_id(run: Run) -> None:
    stored = generate_product_file(3, seed=4, packed_on=DAY)
    changed = dict(stored["products"][1], price=99.9)
    added = dict(stored["products"][2], id=20000, pluNumber=500, code=900)

    async def scenario() -> None:
        async with ScaleSimulator(products=stored) as sim:
            await driver(sim).push_products({"products": [changed, added]})
            assert sim.uploads[0].clear is False
            expected = dict(stored, products=[stored["products"][0], changed, stored["products"][2], added])
            assert sim.products == expected

    run(scenario())


def test_push_sends_each_chunk_exactly_once(run: Run) -> None:
    data = generate_product_file(30, seed=5, packed_on=DAY)
    size = len(p.encode_product_file(data))

    async def scenario() -> None:
        async with ScaleSimulator(check_polls=2) as sim:
            await driver(sim, chunk_size=1000).push_products(data, clear_database=True)
            kinds = [(r.command, r.stage) for r in sim.requests]
            write = p.CMD_WRITE_PRODUCT_FILE
            assert kinds == [
                (write, p.STAGE_UPLOAD_HEADER),
                *[(write, p.STAGE_CHUNK)] * math.ceil(size / 1000),
                *[(write, p.STAGE_CHECK)] * 3,
            ]
            assert sim.products == data

    run(scenario())


def test_ten_thousand_products_round_trip(run: Run) -> None:
    data = generate_product_file(10_000, seed=6, packed_on=DAY, without_plu=1)
    size = len(p.encode_product_file(data))
    assert size > 20 * p.MAX_CHUNK_SIZE

    async def scenario() -> None:
        async with ScaleSimulator() as sim:
            scale = driver(sim)
            await scale.push_products(data, clear_database=True)
            assert sim.uploads[0].received == size
            assert await scale.fetch_products() == data
            chunk_reads = [r for r in sim.requests if r == LoggedRequest(p.CMD_READ_FILE, p.STAGE_CHUNK)]
            assert len(chunk_reads) == math.ceil(size / p.MAX_CHUNK_SIZE)

    run(scenario())


def test_device_info_over_the_wire(run: Run) -> None:
    async def scenario() -> None:
        async with ScaleSimulator(serial_number="SIM04242") as sim:
            info = await driver(sim, password="9999").device_info()
            assert info.serial_number == "SIM04242"
            assert info.model == "M-ER 725 PM-15.2"
            assert info.manufacturer == "Mertech"
            assert info.firmware_version == "7.9.1.15"
            assert sim.requests == [LoggedRequest(p.CMD_DEVICE_INFO, None)]

    run(scenario())


def test_little_endian_size_is_accepted_unless_the_simulator_is_strict(run: Run) -> None:
    data = generate_product_file(2, seed=8, packed_on=DAY)

    async def scenario() -> None:
        async with ScaleSimulator(strict_size_byteorder="little") as sim:
            await driver(sim, size_byteorder="little").push_products(data, clear_database=True)
            assert sim.products == data
        async with ScaleSimulator() as sim:
            await driver(sim, size_byteorder="little").push_products(data, clear_database=True)
            assert sim.uploads[0].size_little == len(p.encode_product_file(data))
            assert sim.products == data

    run(scenario())


def test_simulator_serves_again_after_each_operation(run: Run) -> None:
    stored = generate_product_file(4, seed=9, packed_on=DAY)

    async def scenario() -> None:
        async with ScaleSimulator(products=stored) as sim:
            scale = driver(sim)
            for _ in range(3):
                assert await scale.fetch_products() == stored
                await scale.push_products(stored, clear_database=True)
            assert len(sim.uploads) == 3

    run(scenario())
