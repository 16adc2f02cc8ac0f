"""Asyncio TCP driver for Mertech M-ER 725 label scales."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from opsuite.scales.devices import protocol as p
from opsuite.scales.devices.interface import (
    ConnectionParams,
    DeviceInfo,
    ScaleBusyError,
    ScaleFileRejectedError,
    ScaleProtocolError,
    ScaleResultError,
    ScaleTimeoutError,
    ScaleUnreachableError,
    ScaleWrongPasswordError,
    device_info_from_json,
)

if TYPE_CHECKING:
    from opsuite.scales.devices.interface import ScaleFactory

log = logging.getLogger(__name__)

_CLOSE_TIMEOUT = 1.0
_FIRST_POLL_DELAY_FRACTION = 1 / 16
"""The first sleep after an 'in progress' answer, as a fraction of the poll interval; then doubling."""


def poll_delays(interval: float) -> Iterator[float]:
    """Sleeps between polls: interval/16, doubling, then interval for ever.

    The first poll goes out at once; a quick scale (or the simulator) is then not made to wait a whole
    interval, while a slow one is polled no more often than the interval after a few tries.
    """
    delay = interval * _FIRST_POLL_DELAY_FRACTION
    while True:
        yield min(delay, interval)
        delay *= 2


def result_error(code: int, command: bytes) -> ScaleResultError:
    """The exception for a non-zero result code, specialised where the domain reacts differently."""
    special = {p.RC_WRONG_PASSWORD: ScaleWrongPasswordError, p.RC_BUSY: ScaleBusyError}
    kind = special.get(code, ScaleResultError)
    return kind(code, p.result_text(code), command=p.command_name(command))


class _Link:
    """One open connection: strictly one request, then its reply, each wait bounded."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, timeout: float) -> None:
        self._reader = reader
        self._writer = writer
        self._timeout = timeout

    async def exchange(
        self, frame: bytes, command: bytes, *, allowed: frozenset[int] = frozenset()
    ) -> p.Reply:
        """Send one request frame and return its reply; a result outside OK and allowed raises."""
        result, data = await self.exchange_view((frame,), command, allowed=allowed)
        return p.Reply(command, result, bytes(data))

    async def exchange_view(
        self,
        parts: tuple[bytes | memoryview, ...],
        command: bytes,
        *,
        allowed: frozenset[int] = frozenset(),
    ) -> tuple[int, memoryview]:
        """exchange for a frame written in parts (a head, then data not copied), replying with a view."""
        name = p.command_name(command)
        try:
            async with asyncio.timeout(self._timeout):
                for part in parts:
                    self._writer.write(part)
                await self._writer.drain()
                body = await self._read_frame()
        except TimeoutError as exc:
            raise ScaleTimeoutError(f"no reply to {name} within {self._timeout:g} s") from exc
        except (ConnectionError, OSError) as exc:
            raise ScaleUnreachableError(f"connection lost during {name}: {exc}") from exc
        result, data = p.parse_reply_view(body, command)
        if result != p.RC_OK and result not in allowed:
            raise result_error(result, command)
        log.debug("scale replied to %s: rc=%d, %d data bytes", name, result, len(data))
        return result, data

    async def _read_frame(self) -> bytes:
        try:
            prefix = await self._reader.readexactly(p.PREFIX_SIZE)
        except asyncio.IncompleteReadError as exc:
            if not exc.partial:
                raise ScaleUnreachableError("scale closed the connection without replying") from exc
            raise ScaleProtocolError("reply truncated inside the length prefix") from exc
        size = p.frame_size(prefix)
        try:
            return await self._reader.readexactly(size)
        except asyncio.IncompleteReadError as exc:
            raise ScaleProtocolError(f"reply truncated: {len(exc.partial)} of {size} bytes") from exc


class MertechScale:
    """One M-ER 725 reached over TCP; each call opens its own connection and closes it."""

    def __init__(
        self,
        params: ConnectionParams,
        *,
        chunk_size: int = p.MAX_CHUNK_SIZE,
        poll_interval: float = 0.25,
        size_byteorder: p.SizeByteOrder = "big",
    ) -> None:
        if not 1 <= chunk_size <= p.MAX_CHUNK_SIZE:
            raise ValueError(f"chunk size must be 1..{p.MAX_CHUNK_SIZE}")
        self._params = params
        self._password = p.encode_password(params.password)
        self._chunk_size = chunk_size
        self._poll_interval = poll_interval
        # Sources disagree on the 8-byte size field; big-endian is what the only M-ER 725 Python client sends.
        self._size_byteorder: p.SizeByteOrder = size_byteorder

    def __repr__(self) -> str:
        return f"MertechScale({self._params.host}:{self._params.port})"

    async def fetch_products(self) -> dict[str, Any]:
        """Download the scale's whole product file, verify its MD5 and parse it."""
        return (await self.fetch_product_file()).data

    async def fetch_product_file(self) -> p.ProductFile:
        """Download the scale's whole product file and verify its MD5; the JSON is parsed only when used."""
        async with self._operation("fetch products") as link:
            await link.exchange(p.create_product_file_request(self._password), p.CMD_CREATE_PRODUCT_FILE)
            await self._wait_until_ready(link)
            await link.exchange(p.read_file_request(self._password, p.STAGE_HASH_START), p.CMD_READ_FILE)
            expected_md5 = await self._read_digest(link)
            raw, actual_md5 = await self._read_chunks(link)
        if actual_md5 != expected_md5:
            raise ScaleProtocolError(
                f"downloaded file MD5 {actual_md5.hex()} differs from the scale's {expected_md5.hex()}"
            )
        log.info("fetched %d bytes of products from %r", len(raw), self)
        return p.ProductFile(raw, digest=actual_md5)

    async def push_products(self, data: Mapping[str, Any], *, clear_database: bool = False) -> None:
        """Upload a whole product file in chunks and wait until the scale accepts or rejects it."""
        await self.push_product_file(p.ProductFile.from_data(data), clear_database=clear_database)

    async def push_product_file(self, file: p.ProductFile, *, clear_database: bool = False) -> None:
        """Upload an encoded product file as it is, in chunks, and wait for the scale's verdict."""
        body = memoryview(file.raw)
        size = len(body)
        async with self._operation("push products") as link:
            header = p.upload_header_request(
                self._password, file.digest, size, clear=clear_database, byteorder=self._size_byteorder
            )
            await link.exchange(header, p.CMD_WRITE_PRODUCT_FILE)
            # Each chunk is sent once: the scale keeps the cursor, so a resend would not be idempotent.
            # One request at a time (notes 3.1): the next chunk goes once the scale acknowledged this one.
            offsets = range(0, size, self._chunk_size) or range(1)
            for offset in offsets:
                data = body[offset : offset + self._chunk_size]
                last = offset + self._chunk_size >= size
                head = p.upload_chunk_head(self._password, offset, len(data), last)
                # One write per frame: a 60 KB copy costs less than a second send and wake-up.
                await link.exchange_view((b"".join((head, data)),), p.CMD_WRITE_PRODUCT_FILE)
            await self._wait_until_accepted(link)
        log.info("pushed %d bytes of products to %r (clear=%s)", size, self, clear_database)

    async def device_info(self) -> DeviceInfo:
        """Read the FF 17 device information."""
        async with self._operation("device info") as link:
            reply = await link.exchange(p.device_info_request(), p.CMD_DEVICE_INFO)
        return device_info_from_json(p.parse_device_info(reply.data))

    @contextlib.asynccontextmanager
    async def _operation(self, what: str) -> AsyncIterator[_Link]:
        """Connect, bound the whole operation by the deadline, and always close."""
        params = self._params
        try:
            async with asyncio.timeout(params.deadline):
                reader, writer = await self._connect()
                try:
                    yield _Link(reader, writer, params.timeout)
                finally:
                    await _close(writer)
        except TimeoutError as exc:
            raise ScaleTimeoutError(f"{what} on {self!r} exceeded {params.deadline:g} s") from exc

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        params = self._params
        try:
            async with asyncio.timeout(params.timeout):
                return await asyncio.open_connection(params.host, params.port)
        except TimeoutError as exc:
            raise ScaleTimeoutError(f"connect to {self!r} timed out after {params.timeout:g} s") from exc
        except OSError as exc:
            raise ScaleUnreachableError(f"cannot connect to {self!r}: {exc}") from exc

    async def _wait_until_ready(self, link: _Link) -> None:
        # Bounded by the operation deadline, unlike the original driver's endless poll.
        request = p.poll_product_file_request(self._password)
        in_progress = frozenset({p.RC_IN_PROGRESS})
        delays = poll_delays(self._poll_interval)
        while (await link.exchange(request, p.CMD_POLL_PRODUCT_FILE, allowed=in_progress)).result:
            await asyncio.sleep(next(delays))

    async def _read_digest(self, link: _Link) -> bytes:
        request = p.read_file_request(self._password, p.STAGE_HASH_STATUS)
        in_progress = frozenset({p.RC_IN_PROGRESS})
        delays = poll_delays(self._poll_interval)
        while True:
            reply = await link.exchange(request, p.CMD_READ_FILE, allowed=in_progress)
            if reply.result == p.RC_OK:
                return p.parse_hash_status(reply.data)
            await asyncio.sleep(next(delays))

    async def _read_chunks(self, link: _Link) -> tuple[bytes, bytes]:
        """The file's bytes and their MD5, hashed chunk by chunk as they arrive (no second pass)."""
        request = p.read_file_request(self._password, p.STAGE_CHUNK)
        parts: list[memoryview] = []
        md5 = hashlib.md5(usedforsecurity=False)
        received = 0
        while True:
            _, reply = await link.exchange_view((request,), p.CMD_READ_FILE)
            offset, data, last = p.parse_chunk_view(reply)
            if offset != received:
                raise ScaleProtocolError(f"chunk at offset {offset}, expected {received}")
            if not data and not last:
                # An empty non-final chunk would otherwise let a confused scale keep us looping.
                raise ScaleProtocolError("empty chunk before the end of the file")
            md5.update(data)
            parts.append(data)
            received += len(data)
            if last:
                return b"".join(parts), md5.digest()

    async def _wait_until_accepted(self, link: _Link) -> None:
        request = p.upload_check_request(self._password)
        delays = poll_delays(self._poll_interval)
        while True:
            status = p.parse_check_status((await link.exchange(request, p.CMD_WRITE_PRODUCT_FILE)).data)
            if status.state == p.CHECK_ACCEPTED:
                return
            if status.state == p.CHECK_REJECTED:
                raise ScaleFileRejectedError(status.message)
            if status.state != p.CHECK_IN_PROGRESS:
                raise ScaleProtocolError(f"unknown upload check state {status.state}")
            await asyncio.sleep(next(delays))


async def _close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    # A reset peer makes wait_closed raise; the connection is gone either way.
    with contextlib.suppress(OSError, TimeoutError):
        async with asyncio.timeout(_CLOSE_TIMEOUT):
            await writer.wait_closed()


if TYPE_CHECKING:
    # Lets mypy prove the driver fits the interface the domain is written against.
    _conforms: ScaleFactory = MertechScale
