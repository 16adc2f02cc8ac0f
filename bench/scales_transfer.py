"""Scales: fetch and upload of 10,000 products through the M-ER 725 driver and simulator on loopback.

The reference moves the same number of bytes (the encoded product file) over a bare asyncio socket pair,
in the same run. Fetch and upload are measured at the driver's byte level (`fetch_product_file`,
`push_product_file`): the whole protocol (every frame, one request at a time, ~55 chunks of 60,000 bytes),
the MD5 on both sides, and the simulator's checks. The dict API (`fetch_products`, `push_products`) adds
one JSON parse or encode of the file on top; those lines are printed too, so nothing is hidden. The
simulator answers at once (no 'in progress' polls), so the poll interval does not enter the figures.
It accepts an upload once it is whole and its size and MD5 match, and imports the JSON when its file is
next read; the last line times a fetch right after an upload, which pays for that import.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

from opsuite.scales.devices.interface import ConnectionParams
from opsuite.scales.devices.mertech import MertechScale
from opsuite.scales.devices.protocol import ProductFile, encode_product_file
from opsuite.scales.devices.sample_products import generate_product_file
from opsuite.scales.devices.simulator import ScaleSimulator

PRODUCTS = 10_000
RUNS = 7
AIM = 3.0


async def _median(action: Callable[[], Awaitable[Any]]) -> float:
    await action()  # warm-up
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        await action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


async def _median_of_second(
    first: Callable[[], Awaitable[Any]], second: Callable[[], Awaitable[Any]]
) -> float:
    """Median time of `second`, each run right after an untimed `first`."""
    times = []
    for _ in range(RUNS):
        await first()
        started = time.perf_counter()
        await second()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


async def _bare_send(payload: bytes) -> float:
    """Median time to move `payload` one way over a fresh loopback connection, read to the last byte."""
    done: asyncio.Queue[int] = asyncio.Queue()

    async def receive(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        received = 0
        while received < len(payload):
            received += len(await reader.read(65536))
        await done.put(received)
        writer.close()

    server = await asyncio.start_server(receive, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]

    async def once() -> None:
        _reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(payload)
        await writer.drain()
        await done.get()
        writer.close()

    try:
        return await _median(once)
    finally:
        server.close()
        await server.wait_closed()


async def _measure() -> dict[str, float]:
    data = generate_product_file(PRODUCTS, seed=1)
    payload = encode_product_file(data)
    simulator = ScaleSimulator(password="1234", products=data)
    port = await simulator.start(host="127.0.0.1", port=0)
    try:
        scale = MertechScale(
            ConnectionParams(host="127.0.0.1", port=port, password="1234", timeout=10, deadline=60),
            poll_interval=0.005,
        )
        fetched = await scale.fetch_product_file()
        assert fetched.raw == payload
        assert len(fetched.data["products"]) == len(data["products"])
        fetch = await _median(scale.fetch_product_file)
        # A fresh ProductFile each time, so every upload hashes the file itself as a first upload would.
        upload = await _median(lambda: scale.push_product_file(ProductFile(payload)))
        fetch_dict = await _median(scale.fetch_products)
        upload_dict = await _median(lambda: scale.push_products(data))
        fetch_after_upload = await _median_of_second(
            lambda: scale.push_product_file(ProductFile(payload)), scale.fetch_product_file
        )
        # Outside the timing: the scale really holds the file (this imports the accepted uploads).
        assert len(simulator.products["products"]) == len(data["products"])
    finally:
        await simulator.stop()
    bare = await _bare_send(payload)
    return {
        "bytes": len(payload),
        "fetch": fetch,
        "upload": upload,
        "fetch_dict": fetch_dict,
        "upload_dict": upload_dict,
        "fetch_after_upload": fetch_after_upload,
        "bare": bare,
    }


def run() -> None:
    """Print the fetch and upload times as ratios to the bare socket."""
    m = asyncio.run(_measure())
    print(f"scales transfer: {PRODUCTS:,} products, product file {m['bytes']:,} bytes, simulator on loopback")
    print(f"  bare loopback socket, same bytes (median of {RUNS})  {m['bare'] * 1000:8.1f} ms   1.0x")
    for name in ("fetch", "upload"):
        ratio = m[name] / m["bare"]
        verdict = "met" if ratio <= AIM else "NOT met"
        print(
            f"  {name:6s} through driver + simulator  {m[name] * 1000:8.1f} ms"
            f"  {ratio:5.1f}x  aim <= 3x: {verdict}"
        )
    extra = (
        ("fetch_dict", "fetch_products (+ JSON parse)"),
        ("upload_dict", "push_products (+ JSON encode)"),
        ("fetch_after_upload", "fetch right after an upload"),
    )
    for name, what in extra:
        print(f"  {what:32s}  {m[name] * 1000:8.1f} ms  {m[name] / m['bare']:5.1f}x")
