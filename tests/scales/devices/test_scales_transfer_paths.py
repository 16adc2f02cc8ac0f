"""The fast paths of a transfer: poll back-off, wire bytes kept as they are, lazy JSON, the simulator's lazy import."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from opsuite.scales.devices import protocol as p
from opsuite.scales.devices.interface import ConnectionParams, ScaleProtocolError
from opsuite.scales.devices.mertech import MertechScale, poll_delays
from opsuite.scales.devices.product_merge import merge_product_files
from opsuite.scales.devices.sample_products import generate_product_file
from opsuite.scales.devices.simulator import ScaleSimulator

Run = Callable[[Coroutine[Any, Any, Any]], Any]
PASSWORD = b"1234"


def driver(
    sim: ScaleSimulator, *, poll_interval: float = 0.01, chunk_size: int = p.MAX_CHUNK_SIZE
) -> MertechScale:
    params = ConnectionParams(host="127.0.0.1", port=sim.port, password="1234", timeout=2.0, deadline=20.0)
    return MertechScale(params, poll_interval=poll_interval, chunk_size=chunk_size)


# --- poll back-off --------------------------------------------------------------------------------------


def test_poll_delays_start_at_a_sixteenth_and_double_up_to_the_interval() -> None:
    assert list(itertools.islice(poll_delays(0.25), 8)) == [
        0.015625,
        0.03125,
        0.0625,
        0.125,
        0.25,
        0.25,
        0.25,
        0.25,
    ]
    assert list(itertools.islice(poll_delays(1.0), 6)) == [0.0625, 0.125, 0.25, 0.5, 1.0, 1.0]
    assert list(itertools.islice(poll_delays(0.0), 3)) == [0.0, 0.0, 0.0]


class SleepLog:
    """Records the driver's sleeps and sleeps 0 instead, so the schedule is checked exactly and fast."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.delays: list[float] = []
        real_sleep = asyncio.sleep

        async def sleep(delay: float, result: Any = None) -> Any:
            self.delays.append(delay)
            return await real_sleep(0, result)

        monkeypatch.setattr("opsuite.scales.devices.mertech.asyncio.sleep", sleep)


def test_a_ready_scale_is_not_waited_for(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    sleeps = SleepLog(monkeypatch)

    async def scenario() -> None:
        async with ScaleSimulator(products=generate_product_file(3, seed=1)) as sim:
            scale = driver(sim, poll_interval=0.25)
            await scale.fetch_products()
            await scale.push_products(generate_product_file(2, seed=2))
            assert sleeps.delays == []

    run(scenario())


def test_creation_and_check_polls_back_off_by_the_schedule(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    sleeps = SleepLog(monkeypatch)

    async def scenario() -> None:
        async with ScaleSimulator(
            products=generate_product_file(3, seed=1), creation_polls=6, check_polls=3
        ) as sim:
            scale = driver(sim, poll_interval=0.25)
            await scale.fetch_products()
            assert sleeps.delays == [0.015625, 0.03125, 0.0625, 0.125, 0.25, 0.25]
            sleeps.delays.clear()
            await scale.push_products(generate_product_file(2, seed=2))
            # Each wait starts its own schedule again.
            assert sleeps.delays == [0.015625, 0.03125, 0.0625]

    run(scenario())


# --- wire bytes kept, JSON parsed lazily ------------------------------------------------------------------


def test_product_file_parses_and_hashes_only_when_asked() -> None:
    raw = b'{"products":[{"id":1}]}'
    file = p.ProductFile(raw)
    assert file._data is None
    assert file._digest is None
    assert len(file) == len(raw)
    assert repr(file) == f"ProductFile({len(raw)} bytes)"
    assert file.digest == p.md5_digest(raw)
    data = file.data
    assert data == {"products": [{"id": 1}]}
    assert file.data is data  # parsed once
    assert p.ProductFile.from_data(data).raw == raw
    assert p.ProductFile(raw, digest=b"x" * 16).digest == b"x" * 16
    with pytest.raises(ScaleProtocolError, match="not UTF-8 JSON"):
        _ = p.ProductFile(b"{").data


def test_fetch_product_file_gives_the_scales_bytes_and_their_verified_md5(run: Run) -> None:
    stored = generate_product_file(40, seed=3)

    async def scenario() -> None:
        async with ScaleSimulator(products=stored, chunk_size=1000) as sim:
            file = await driver(sim).fetch_product_file()
            assert file.raw == p.encode_product_file(stored)
            assert file._digest == p.md5_digest(file.raw)  # the scale's MD5, checked, not hashed again
            assert file._data is None
            assert file.data == stored

    run(scenario())


def test_push_product_file_sends_the_bytes_as_they_are(run: Run) -> None:
    # Not our encoder's spelling: spaces and an escaped character must reach the scale untouched.
    raw = '{ "products": [ {"id": 5, "name": "\\u0451 ё"} ] }'.encode()

    async def scenario() -> None:
        async with ScaleSimulator(products={"products": []}) as sim:
            await driver(sim, chunk_size=7).push_product_file(p.ProductFile(raw), clear_database=True)
            (upload,) = sim.uploads
            assert (upload.accepted, upload.received, upload.digest) == (True, len(raw), p.md5_digest(raw))
            # The simulator serves the file it imported as the bytes it received.
            assert (await driver(sim).fetch_product_file()).raw == raw
            assert sim.products == {"products": [{"id": 5, "name": "ё ё"}]}

    run(scenario())


def test_chunk_frames_written_in_parts_match_the_notes_vector() -> None:
    body = b'{"products":[]}'
    head = p.upload_chunk_head(PASSWORD, 0, len(body), True)
    assert head + body == bytes.fromhex(
        "1f 00 00 00 02 1d ff 13 31 32 33 34 03 01 00 00 00 00 0f 00 7b 22 70 72 6f 64 75 63 74 73 22 3a 5b 5d 7d"
    )
    assert head + body == p.upload_chunk_request(PASSWORD, p.Chunk(0, body, True))
    long = bytes(range(256)) * 200
    assert p.upload_chunk_head(PASSWORD, 60000, len(long), False) + long == p.upload_chunk_request(
        PASSWORD, p.Chunk(60000, long, False)
    )
    reply = p.download_chunk_reply_head(120000, len(long), True) + long
    assert reply == p.build_reply(
        p.CMD_READ_FILE, p.RC_OK, p.download_chunk_data(p.Chunk(120000, long, True))
    )


def test_reply_and_chunk_views_match_the_copying_parsers() -> None:
    chunk = p.Chunk(7, b"abcdef", False)
    frame = p.build_reply(p.CMD_READ_FILE, p.RC_OK, p.download_chunk_data(chunk))
    result, data = p.parse_reply_view(frame[p.PREFIX_SIZE :], p.CMD_READ_FILE)
    assert result == p.RC_OK
    assert isinstance(data, memoryview)
    offset, view, last = p.parse_chunk_view(data)
    assert (offset, bytes(view), last) == (7, b"abcdef", False)
    assert p.parse_reply(frame[p.PREFIX_SIZE :], p.CMD_READ_FILE) == p.Reply(
        p.CMD_READ_FILE, p.RC_OK, bytes(data)
    )
    with pytest.raises(ScaleProtocolError, match="echoes FF 13"):
        p.parse_reply_view(frame[p.PREFIX_SIZE :].replace(b"\xff\x12", b"\xff\x13", 1), p.CMD_READ_FILE)
    with pytest.raises(ScaleProtocolError, match="declares 6 bytes but carries 5"):
        p.parse_chunk_view(data[:-1])


# --- the simulator's lazy import --------------------------------------------------------------------------


def test_uploads_are_imported_in_order_when_the_file_is_next_read(run: Run) -> None:
    stored = {"products": [{"id": 1, "price": 1.0}], "version": 1}
    first = {"products": [{"id": 2}], "version": 2}
    second = {"products": [{"id": 1, "price": 3.0}]}

    async def scenario() -> None:
        async with ScaleSimulator(products=stored) as sim:
            scale = driver(sim)
            await scale.push_products(first)
            await scale.push_products(second)
            expected = merge_product_files(merge_product_files(stored, first), second)
            assert await scale.fetch_products() == expected
            assert sim.products == expected
            await scale.push_products({"products": []}, clear_database=True)
            await scale.push_products(first)
            assert sim.products == first

    run(scenario())


def test_an_accepted_file_that_is_not_json_is_dropped_when_imported(
    run: Run, caplog: pytest.LogCaptureFixture
) -> None:
    stored = {"products": [{"id": 1}]}

    async def scenario() -> None:
        async with ScaleSimulator(products=stored) as sim:
            scale = driver(sim)
            # The check stage verifies what the protocol carries (whole, size, MD5); that file passes it.
            await scale.push_product_file(p.ProductFile(b"not json"), clear_database=True)
            await scale.push_products({"products": [{"id": 2}]})
            assert [u.accepted for u in sim.uploads] == [True, True]
            with caplog.at_level(logging.WARNING, logger="opsuite.scales.devices.simulator"):
                assert sim.products == {"products": [{"id": 1}, {"id": 2}]}
            assert "dropped an accepted upload of 8 bytes" in caplog.text

    run(scenario())


def test_the_simulator_encodes_its_file_once_per_change(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    encoded: list[int] = []
    real = p.encode_product_file

    def counting(data: Any) -> bytes:
        encoded.append(1)
        return real(data)

    async def scenario() -> None:
        async with ScaleSimulator(products=generate_product_file(5, seed=1)) as sim:
            scale = driver(sim)
            monkeypatch.setattr(p, "encode_product_file", counting)
            for _ in range(3):
                await scale.fetch_product_file()
            assert len(encoded) == 1
            sim.products = {"products": [{"id": 9}]}
            assert json.loads((await scale.fetch_product_file()).raw) == {"products": [{"id": 9}]}
            assert len(encoded) == 2

    run(scenario())


def test_merge_keeps_ids_of_different_json_types_apart() -> None:
    stored = {"products": [{"id": 1}, {"id": 1.0}, {"id": True}, {"id": "1"}, {"id": [1]}]}
    uploaded = {"products": [{"id": 1, "n": "int"}, {"id": [1], "n": "list"}, {"id": 1.5}]}
    assert merge_product_files(stored, uploaded)["products"] == [
        {"id": 1, "n": "int"},
        {"id": 1.0},
        {"id": True},
        {"id": "1"},
        {"id": [1], "n": "list"},
        {"id": 1.5},
    ]
