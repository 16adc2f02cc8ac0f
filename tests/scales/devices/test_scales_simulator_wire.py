"""The simulator answers the notes' request vectors with exactly the notes' reply bytes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from opsuite.scales.devices import protocol as p
from opsuite.scales.devices.sample_products import generate_product_file
from opsuite.scales.devices.simulator import Fault, ScaleSimulator, serve_simulators, start_simulators

Run = Callable[[Coroutine[Any, Any, Any]], Any]


# The upload of `{"products":[]}` with password 1234, as the notes quote it: header, one chunk, check.
NOTES_HEADER = (
    "24 00 00 00 02 22 ff 13 31 32 33 34 02 f8 7a bc 43 80 5c 94 65 05 e9 f1 f6 4d 04 cd 21"
    " 04 00 00 00 00 00 00 00 0f 01 01"
)
NOTES_CHUNK = (
    "1f 00 00 00 02 1d ff 13 31 32 33 34 03 01 00 00 00 00 0f 00 7b 22 70 72 6f 64 75 63 74 73 22 3a 5b 5d 7d"
)
NOTES_CHECK = "09 00 00 00 02 07 ff 13 31 32 33 34 09"


def hx(text: str) -> bytes:
    return bytes.fromhex(text)


class RawClient:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def ask(self, frame: bytes) -> bytes:
        self.writer.write(frame)
        await self.writer.drain()
        async with asyncio.timeout(2):
            size = p.frame_size(await self.reader.readexactly(4))
            return await self.reader.readexactly(size)


async def connect(sim: ScaleSimulator) -> RawClient:
    return RawClient(*await asyncio.open_connection("127.0.0.1", sim.port))


def test_upload_of_the_notes_vectors_gets_the_udp_managers_replies(run: Run) -> None:
    async def scenario() -> None:
        async with ScaleSimulator(products={"products": [{"id": 1}], "messages": []}, check_polls=1) as sim:
            client = await connect(sim)
            header, chunk = hx(NOTES_HEADER), hx(NOTES_CHUNK)
            check = hx(NOTES_CHECK)
            assert await client.ask(header) == hx("02 03 ff 13 00")
            assert await client.ask(chunk) == hx("02 03 ff 13 00")
            assert await client.ask(check) == hx("02 06 ff 13 00 01 00 00")
            assert await client.ask(check) == hx("02 06 ff 13 00 00 00 00")
            client.writer.close()
            # Export type 01 keeps the database: an empty product list adds nothing and removes nothing.
            assert sim.products == {"products": [{"id": 1}], "messages": []}
            (upload,) = sim.uploads
            assert (upload.size_big, upload.size_little, upload.clear) == (15, 15 << 56, False)

    run(scenario())


def test_the_short_rejection_fault_answers_the_check_with_the_state_byte_alone(run: Run) -> None:
    async def scenario() -> None:
        async with ScaleSimulator(products={"products": [{"id": 1}]}) as sim:
            sim.fail_next(Fault.REJECT_FILE_SHORT)
            client = await connect(sim)
            header, chunk = hx(NOTES_HEADER), hx(NOTES_CHUNK)
            assert await client.ask(header) == hx("02 03 ff 13 00")
            assert await client.ask(chunk) == hx("02 03 ff 13 00")
            # Rejected (state 02) with no message length and no text: 6 bytes instead of 8 or more.
            assert await client.ask(hx(NOTES_CHECK)) == hx("02 04 ff 13 00 02")
            client.writer.close()
            assert sim.products == {"products": [{"id": 1}]}
            assert [u.accepted for u in sim.uploads] == [False]

    run(scenario())


def test_download_replies_byte_by_byte(run: Run) -> None:
    async def scenario() -> None:
        async with ScaleSimulator(products={"products": []}, creation_polls=1) as sim:
            client = await connect(sim)
            assert await client.ask(hx("08 00 00 00 02 06 ff 14 31 32 33 34")) == hx("02 03 ff 14 00")
            assert await client.ask(hx("08 00 00 00 02 06 ff 15 31 32 33 34")) == hx("02 03 ff 15 ac")
            assert await client.ask(hx("08 00 00 00 02 06 ff 15 31 32 33 34")) == hx("02 03 ff 15 00")
            assert await client.ask(hx("09 00 00 00 02 07 ff 12 31 32 33 34 06")) == hx("02 03 ff 12 00")
            assert await client.ask(hx("09 00 00 00 02 07 ff 12 31 32 33 34 07")) == hx(
                "02 14 ff 12 00 07 f8 7a bc 43 80 5c 94 65 05 e9 f1 f6 4d 04 cd 21"
            )
            assert (
                await client.ask(hx("09 00 00 00 02 07 ff 12 31 32 33 34 03"))
                == hx("02 19 ff 12 00 01 00 00 00 00 0f 00") + b'{"products":[]}'
            )
            client.writer.close()

    run(scenario())


def test_password_and_unknown_commands(run: Run) -> None:
    async def scenario() -> None:
        async with ScaleSimulator(password="1234") as sim:
            client = await connect(sim)
            assert await client.ask(hx("08 00 00 00 02 06 ff 14 30 30 30 30")) == hx("02 03 ff 14 7a")
            assert await client.ask(p.build_request(b"\x99", b"1234")) == hx("02 02 99 78")
            assert await client.ask(p.build_request(b"\xff\x40", b"1234")) == hx("02 03 ff 40 78")
            # A chunk request with no prepared file, and a stage the scale does not know.
            assert await client.ask(hx("09 00 00 00 02 07 ff 12 31 32 33 34 03")) == hx("02 03 ff 12 ab")
            assert await client.ask(hx("09 00 00 00 02 07 ff 13 31 32 33 34 05")) == hx("02 03 ff 13 7c")
            reply = p.parse_reply(await client.ask(p.build_request(p.CMD_GET_TIME)), p.CMD_GET_TIME)
            assert reply.result == 0
            assert len(reply.data) == 3
            client.writer.close()

    run(scenario())


def test_upload_chunk_out_of_order_is_refused(run: Run) -> None:
    async def scenario() -> None:
        async with ScaleSimulator() as sim:
            client = await connect(sim)
            pw = b"1234"
            header = p.upload_header_request(pw, p.md5_digest(b"abcdef"), 6, clear=True)
            assert p.parse_reply(await client.ask(header), p.CMD_WRITE_PRODUCT_FILE).result == 0
            late = p.upload_chunk_request(pw, p.Chunk(3, b"def", True))
            assert (
                p.parse_reply(await client.ask(late), p.CMD_WRITE_PRODUCT_FILE).result == p.RC_BAD_PARAMETER
            )
            client.writer.close()

    run(scenario())


def test_a_second_client_restarts_the_scales_transfer(run: Run) -> None:
    """Transfer state is per scale: a download started elsewhere moves the first client's cursor."""
    stored = generate_product_file(5, seed=1)

    async def scenario() -> None:
        async with ScaleSimulator(products=stored, creation_polls=0, chunk_size=100) as sim:
            first, second = await connect(sim), await connect(sim)
            create = p.create_product_file_request(b"1234")
            next_chunk = p.read_file_request(b"1234", p.STAGE_CHUNK)
            await first.ask(create)
            one = p.parse_download_chunk(p.parse_reply(await first.ask(next_chunk), p.CMD_READ_FILE).data)
            await second.ask(create)
            two = p.parse_download_chunk(p.parse_reply(await first.ask(next_chunk), p.CMD_READ_FILE).data)
            assert (one.offset, two.offset) == (0, 0)
            first.writer.close()
            second.writer.close()

    run(scenario())


def test_start_and_serve_several_simulators(run: Run) -> None:
    async def scenario() -> None:
        sims = await start_simulators(3, 0, product_count=7, seed=40)
        try:
            assert len({s.port for s in sims}) == 3
            assert [len(s.products["products"]) for s in sims] == [7, 7, 7]
            assert sims[0].products != sims[1].products
        finally:
            for sim in sims:
                await sim.stop()

        stop = asyncio.Event()
        ready: list[ScaleSimulator] = []

        def on_ready(started: list[ScaleSimulator]) -> None:
            ready.extend(started)
            stop.set()

        await serve_simulators(2, 0, product_count=1, on_ready=on_ready, stop=stop)
        assert len(ready) == 2
        # Stopped simulators refuse connections.
        for sim in ready:
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", sim.port)
            except OSError:
                continue
            writer.close()
            raise AssertionError(f"simulator on port {sim.port} still accepts connections")

    run(scenario())


def test_consecutive_base_ports(run: Run) -> None:
    async def scenario() -> None:
        free = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        base = free.sockets[0].getsockname()[1]
        free.close()
        await free.wait_closed()
        sims = await start_simulators(1, base, product_count=0)
        try:
            assert sims[0].port == base
            assert sims[0].products["products"] == []
        finally:
            await sims[0].stop()

    run(scenario())
