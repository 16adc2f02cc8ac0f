"""An M-ER 725 simulator: an asyncio TCP server speaking the scale's protocol, with injectable faults."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import enum
import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, TypedDict, Unpack

from opsuite.scales.devices import protocol as p
from opsuite.scales.devices.interface import DEFAULT_PASSWORD, ScaleProtocolError
from opsuite.scales.devices.product_merge import copy_product_file, merge_into
from opsuite.scales.devices.sample_products import generate_product_file, sample_device_info

log = logging.getLogger(__name__)

_STOP_GRACE = 1.0


class Fault(enum.Enum):
    """Ways the simulator can misbehave on a matching request."""

    WRONG_PASSWORD = "wrong_password"
    """Answer 122 whatever password came."""
    BUSY = "busy"
    """Answer 199, as a scale still working on a previous request."""
    SILENT = "silent"
    """Stop answering on this connection, as a scale that froze mid-transfer."""
    CORRUPT_CHUNK = "corrupt_chunk"
    """Flip a byte of a download chunk, so the file no longer matches its MD5."""
    REJECT_FILE = "reject_file"
    """Refuse an uploaded file at the check stage with a message."""
    REJECT_FILE_SHORT = "reject_file_short"
    """Refuse an uploaded file with the protocol's short reply: the rejected state alone, no message."""
    TRUNCATED_REPLY = "truncated_reply"
    """Send half the reply, then close."""
    RESET = "reset"
    """Drop the connection with a reset instead of replying."""


# Faults that only make sense at one step default to that step.
_FAULT_STEPS: Mapping[Fault, tuple[bytes, int]] = {
    Fault.CORRUPT_CHUNK: (p.CMD_READ_FILE, p.STAGE_CHUNK),
    Fault.REJECT_FILE: (p.CMD_WRITE_PRODUCT_FILE, p.STAGE_CHECK),
    Fault.REJECT_FILE_SHORT: (p.CMD_WRITE_PRODUCT_FILE, p.STAGE_CHECK),
}

_KNOWN_COMMANDS = frozenset(
    {
        p.CMD_CREATE_PRODUCT_FILE,
        p.CMD_POLL_PRODUCT_FILE,
        p.CMD_READ_FILE,
        p.CMD_WRITE_PRODUCT_FILE,
        p.CMD_DEVICE_INFO,
        p.CMD_GET_TIME,
    }
)


@dataclass
class _FaultRule:
    fault: Fault
    command: bytes | None
    stage: int | None
    skip: int
    times: int | None

    def matches(self, command: bytes, stage: int | None) -> bool:
        return (self.command is None or self.command == command) and (
            self.stage is None or self.stage == stage
        )


@dataclass(frozen=True)
class LoggedRequest:
    """A request the simulator received, without its password."""

    command: bytes
    stage: int | None


@dataclass(frozen=True)
class UploadRecord:
    """What an upload announced and how it ended."""

    digest: bytes
    size_big: int
    size_little: int
    clear: bool
    received: int
    accepted: bool
    message: str


@dataclass
class _Upload:
    owner: object
    header: p.UploadHeader
    # Views of the chunk requests' bytes, joined once at the check: one copy of the file, not one per chunk.
    parts: list[memoryview] = field(default_factory=list)
    received: int = 0
    md5: hashlib._Hash = field(default_factory=lambda: hashlib.md5(usedforsecurity=False))
    complete: bool = False
    checks: int = 0


@dataclass
class _Download:
    owner: object
    file: p.ProductFile
    polls_left: int
    cursor: int = 0


@dataclass(frozen=True)
class _Accepted:
    """An upload the scale accepted (whole, right size, right MD5) and imports when its file is next read."""

    body: bytes
    digest: bytes
    clear: bool


class ScaleSimulator:
    """One simulated scale.

    Transfer state belongs to the scale, not to a connection, so concurrent clients collide as on a device:
    a new FF 14 or FF 13 / 02 restarts the transfer under whoever was using it.

    The file is kept as its wire bytes and MD5, and parsed only when needed: FF 14 serves the bytes it holds
    without re-encoding them. At the FF 13 / 09 check it verifies what the protocol carries (the whole file
    arrived, its size and MD5) and accepts; it imports the JSON (replace, or merge for export type 01) when
    its file is next read. An accepted file that turns out not to be a JSON object is then dropped with a
    warning and the previous file stays. By default it answers at once (no 'in progress' polls).
    """

    def __init__(
        self,
        *,
        password: str = DEFAULT_PASSWORD,
        products: Mapping[str, Any] | None = None,
        serial_number: str = "SIM00001",
        info: Mapping[str, Any] | None = None,
        creation_polls: int = 0,
        check_polls: int = 0,
        chunk_size: int = p.MAX_CHUNK_SIZE,
        latency: float = 0.0,
        strict_size_byteorder: p.SizeByteOrder | None = None,
    ) -> None:
        self._password = p.encode_password(password)
        self._file: dict[str, Any] | None = copy_product_file(
            products if products is not None else generate_product_file(0)
        )
        self._encoded: p.ProductFile | None = None
        """The file as FF 14 serves it; None until first needed after a change."""
        self._accepted: list[_Accepted] = []
        self._info = dict(info) if info is not None else sample_device_info(serial_number)
        self.creation_polls = creation_polls
        """How many FF 15 polls answer 172 before the file is ready."""
        self.check_polls = check_polls
        """How many FF 13 / 09 checks answer 'still processing' before the verdict."""
        self.chunk_size = chunk_size
        self.latency = latency
        """Seconds to wait before handling each request."""
        self.strict_size_byteorder = strict_size_byteorder
        """When set, an upload size valid only in the other byte order is rejected."""
        self.requests: list[LoggedRequest] = []
        self.uploads: list[UploadRecord] = []
        self._rules: list[_FaultRule] = []
        self._download: _Download | None = None
        self._upload: _Upload | None = None
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.StreamWriter] = set()
        self._handlers: set[asyncio.Task[None]] = set()
        self.host = ""
        self.port = 0

    # --- lifecycle ----------------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        """Listen on host:port (0 = any free port) and return the bound port."""
        if self._server is not None:
            raise RuntimeError("simulator already started")
        self._server = await asyncio.start_server(self._serve, host, port)
        self.host, self.port = self._server.sockets[0].getsockname()[:2]
        log.info("scale simulator listening on %s:%d", self.host, self.port)
        return self.port

    async def stop(self) -> None:
        """Stop listening and drop every open connection."""
        server, self._server = self._server, None
        if server is None:
            return
        server.close()
        for writer in list(self._connections):
            writer.transport.abort()
        # Aborted transports end every handler on its own; cancelling them instead trips a 3.11 asyncio bug
        # (its stream callback calls exception() on the cancelled task), so cancel only stragglers.
        if self._handlers:
            _, stragglers = await asyncio.wait(list(self._handlers), timeout=_STOP_GRACE)
            for task in stragglers:
                task.cancel()
            await asyncio.gather(*stragglers, return_exceptions=True)
        await server.wait_closed()

    async def __aenter__(self) -> ScaleSimulator:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    # --- state and faults ---------------------------------------------------------------------------

    @property
    def products(self) -> dict[str, Any]:
        """A copy of the product file the scale holds now."""
        return copy_product_file(self._parsed_file())

    @products.setter
    def products(self, data: Mapping[str, Any]) -> None:
        self._file = copy_product_file(data)
        self._encoded = None
        self._accepted.clear()

    def _parsed_file(self) -> dict[str, Any]:
        """The file as JSON, importing accepted uploads first."""
        self._import_accepted()
        if self._file is None:
            assert self._encoded is not None
            self._file = self._encoded.data
        return self._file

    def _encoded_file(self) -> p.ProductFile:
        """The file as wire bytes and MD5, encoded only after a change."""
        self._import_accepted()
        if self._encoded is None:
            assert self._file is not None
            self._encoded = p.ProductFile.from_data(self._file)
        return self._encoded

    def _import_accepted(self) -> None:
        accepted, self._accepted = self._accepted, []
        for index, upload in enumerate(accepted):
            incoming = p.ProductFile(upload.body, digest=upload.digest)
            try:
                data = incoming.data
            except ScaleProtocolError as exc:
                log.warning("simulator dropped an accepted upload of %d bytes: %s", len(upload.body), exc)
                continue
            if upload.clear:
                self._file = data
                # The bytes just received are the file as it now is, unless a later merge changes it.
                self._encoded = incoming if index == len(accepted) - 1 else None
                continue
            merge_into(self._parsed_file(), data)
            self._encoded = None

    def fail_next(
        self, fault: Fault, *, command: bytes | None = None, stage: int | None = None, skip: int = 0
    ) -> None:
        """Misbehave once on the first matching request after skip matching ones went through."""
        self._add_rule(fault, command, stage, skip, 1)

    def fail_always(self, fault: Fault, *, command: bytes | None = None, stage: int | None = None) -> None:
        """Misbehave on every matching request until clear_faults."""
        self._add_rule(fault, command, stage, 0, None)

    def clear_faults(self) -> None:
        """Forget every pending fault."""
        self._rules.clear()

    def _add_rule(
        self, fault: Fault, command: bytes | None, stage: int | None, skip: int, times: int | None
    ) -> None:
        default_command, default_stage = _FAULT_STEPS.get(fault, (None, None))
        if stage is None:
            stage = default_stage
        self._rules.append(_FaultRule(fault, command or default_command, stage, skip, times))

    def _take_fault(self, command: bytes, stage: int | None) -> Fault | None:
        for rule in self._rules:
            if not rule.matches(command, stage):
                continue
            if rule.skip:
                rule.skip -= 1
                continue
            if rule.times is not None:
                rule.times -= 1
                if rule.times == 0:
                    self._rules.remove(rule)
            return rule.fault
        return None

    # --- connection handling ------------------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
        self._connections.add(writer)
        connection = object()
        try:
            await self._converse(reader, writer, connection)
        except (asyncio.IncompleteReadError, ConnectionError, ScaleProtocolError):
            pass
        finally:
            # A transfer dies with the connection that started it, unless another client has restarted it.
            if self._download is not None and self._download.owner is connection:
                self._download = None
            if self._upload is not None and self._upload.owner is connection:
                self._upload = None
            self._connections.discard(writer)
            writer.close()
            if task is not None:
                self._handlers.discard(task)

    async def _converse(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, connection: object
    ) -> None:
        while True:
            size = p.frame_size(await reader.readexactly(p.PREFIX_SIZE))
            request = p.parse_request(await reader.readexactly(size))
            stage = self._stage_of(request)
            self.requests.append(LoggedRequest(request.command, stage))
            if self.latency:
                await asyncio.sleep(self.latency)
            fault = self._take_fault(request.command, stage)
            if fault is Fault.SILENT:
                while await reader.read(65536):
                    pass
                return
            if fault is Fault.RESET:
                writer.transport.abort()
                return
            reply = self._respond(request, connection, fault)
            if fault is Fault.TRUNCATED_REPLY:
                whole = b"".join(reply)
                writer.write(whole[: len(whole) // 2])
                await writer.drain()
                return
            for part in reply:
                writer.write(part)
            await writer.drain()

    @staticmethod
    def _stage_of(request: p.Request) -> int | None:
        at = 0 if request.command in p.PASSWORDLESS_COMMANDS else 4
        return request.params[at] if len(request.params) > at else None

    def _respond(
        self, request: p.Request, connection: object, fault: Fault | None
    ) -> tuple[bytes | memoryview, ...]:
        """The reply frame, in parts: a chunk's data goes out as a view of the file, not a copy."""
        command, params = request.command, request.params
        if command not in _KNOWN_COMMANDS:
            return (p.build_reply(command, p.RC_UNKNOWN_COMMAND),)
        if command not in p.PASSWORDLESS_COMMANDS:
            if fault is Fault.WRONG_PASSWORD or params[:4] != self._password:
                return (p.build_reply(command, p.RC_WRONG_PASSWORD),)
            params = params[4:]
        if fault is Fault.BUSY:
            return (p.build_reply(command, p.RC_BUSY),)
        if command == p.CMD_DEVICE_INFO:
            info = json.dumps(self._info, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            return (p.build_reply(command, p.RC_OK, p.device_info_data(info)),)
        if command == p.CMD_GET_TIME:
            now = dt.datetime.now()
            return (p.build_reply(command, p.RC_OK, bytes((now.hour, now.minute, now.second))),)
        if command == p.CMD_CREATE_PRODUCT_FILE:
            self._download = _Download(connection, self._encoded_file(), self.creation_polls)
            return (p.build_reply(command, p.RC_OK),)
        if command == p.CMD_POLL_PRODUCT_FILE:
            return (p.build_reply(command, self._poll_download()),)
        if command == p.CMD_READ_FILE:
            return self._read_file(params, corrupt=fault is Fault.CORRUPT_CHUNK)
        return (self._write_file(params, connection, fault=fault),)

    # --- download -----------------------------------------------------------------------------------

    def _poll_download(self) -> int:
        if self._download is None:
            return p.RC_FILE_EMPTY
        if self._download.polls_left > 0:
            self._download.polls_left -= 1
            return p.RC_IN_PROGRESS
        return p.RC_OK

    def _read_file(self, params: bytes, *, corrupt: bool) -> tuple[bytes | memoryview, ...]:
        command = p.CMD_READ_FILE
        download = self._download
        if download is None or download.polls_left > 0:
            return (p.build_reply(command, p.RC_FILE_EMPTY),)
        stage = params[0] if len(params) == 1 else None
        if stage == p.STAGE_HASH_START:
            return (p.build_reply(command, p.RC_OK),)
        if stage == p.STAGE_HASH_STATUS:
            return (p.build_reply(command, p.RC_OK, p.hash_status_data(download.file.digest)),)
        if stage != p.STAGE_CHUNK:
            return (p.build_reply(command, p.RC_BAD_PARAMETER),)
        body = download.file.raw
        start = download.cursor
        data = memoryview(body)[start : start + self.chunk_size]
        download.cursor += len(data)
        last = download.cursor >= len(body)
        if last:
            self._download = None
        if corrupt and data:
            flipped = bytes((data[0] ^ 0x01,)) + data[1:]
            return (p.build_reply(command, p.RC_OK, p.download_chunk_data(p.Chunk(start, flipped, last))),)
        # One write per frame: a 60 KB copy costs less than a second send and wake-up.
        return (b"".join((p.download_chunk_reply_head(start, len(data), last), data)),)

    # --- upload -------------------------------------------------------------------------------------

    def _write_file(self, params: bytes, connection: object, *, fault: Fault | None) -> bytes:
        command = p.CMD_WRITE_PRODUCT_FILE
        stage = params[0] if params else None
        if stage == p.STAGE_UPLOAD_HEADER:
            try:
                header = p.parse_upload_header(params)
            except ScaleProtocolError:
                return p.build_reply(command, p.RC_BAD_PARAMETER)
            self._upload = _Upload(connection, header)
            return p.build_reply(command, p.RC_OK)
        upload = self._upload
        if upload is None:
            return p.build_reply(command, p.RC_BAD_PARAMETER)
        if stage == p.STAGE_CHUNK:
            try:
                offset, data, last = p.parse_chunk_view(memoryview(params)[1:])
            except ScaleProtocolError:
                return p.build_reply(command, p.RC_BAD_PARAMETER)
            if upload.complete or offset != upload.received:
                return p.build_reply(command, p.RC_BAD_PARAMETER)
            upload.parts.append(data)
            upload.received += len(data)
            upload.md5.update(data)
            upload.complete = last
            return p.build_reply(command, p.RC_OK)
        if stage != p.STAGE_CHECK or len(params) != 1:
            return p.build_reply(command, p.RC_BAD_PARAMETER)
        if fault is Fault.REJECT_FILE:
            return self._finish_upload(upload, "Файл товаров отклонён весами (симуляция)")
        if fault is Fault.REJECT_FILE_SHORT:
            return self._finish_upload(upload, "Файл товаров отклонён весами (симуляция)", short=True)
        upload.checks += 1
        if upload.checks <= self.check_polls:
            return p.build_reply(command, p.RC_OK, p.check_status_data(p.CHECK_IN_PROGRESS))
        return self._finish_upload(upload, self._verify_upload(upload))

    def _verify_upload(self, upload: _Upload) -> str:
        """Accept an upload that is whole, of the announced size and MD5; else return why not."""
        header = upload.header
        if not upload.complete:
            return "Файл передан не полностью"
        sizes = {
            "big": (header.size_big,),
            "little": (header.size_little,),
            None: (header.size_big, header.size_little),
        }[self.strict_size_byteorder]
        if upload.received not in sizes:
            return f"Размер файла {upload.received} не совпадает с заявленным"
        if upload.md5.digest() != header.digest:
            return "Контрольная сумма файла не совпадает"
        self._accepted.append(_Accepted(b"".join(upload.parts), header.digest, header.clear))
        return ""

    def _finish_upload(self, upload: _Upload, message: str, *, short: bool = False) -> bytes:
        """Record the upload's outcome and answer it; `short` rejects with the state byte alone."""
        header = upload.header
        self.uploads.append(
            UploadRecord(
                digest=header.digest,
                size_big=header.size_big,
                size_little=header.size_little,
                clear=header.clear,
                received=upload.received,
                accepted=not message,
                message=message,
            )
        )
        self._upload = None
        state = p.CHECK_REJECTED if message else p.CHECK_ACCEPTED
        data = bytes((state,)) if short else p.check_status_data(state, message)
        return p.build_reply(p.CMD_WRITE_PRODUCT_FILE, p.RC_OK, data)


class SimulatorOptions(TypedDict, total=False):
    """How each simulator of a group starts: where, with which password, and how many sample products."""

    host: str
    password: str
    product_count: int
    seed: int
    fault: Fault | None
    """Shown on every matching request (its usual step), as `opsuite simulate scales --fault` asks."""


async def start_simulators(
    count: int, base_port: int, **options: Unpack[SimulatorOptions]
) -> list[ScaleSimulator]:
    """Start count simulators on base_port, base_port + 1, ... (base_port 0 = any free ports)."""
    host = options.get("host", "127.0.0.1")
    seed = options.get("seed", 0)
    simulators: list[ScaleSimulator] = []
    try:
        for i in range(count):
            simulator = ScaleSimulator(
                password=options.get("password", DEFAULT_PASSWORD),
                products=generate_product_file(options.get("product_count", 50), seed=seed + i),
                serial_number=f"SIM{i + 1:05d}",
            )
            fault = options.get("fault")
            if fault is not None:
                simulator.fail_always(fault)
            await simulator.start(host, base_port + i if base_port else 0)
            simulators.append(simulator)
    except BaseException:
        await asyncio.gather(*(s.stop() for s in simulators))
        raise
    return simulators


async def serve_simulators(
    count: int,
    base_port: int,
    *,
    on_ready: Callable[[list[ScaleSimulator]], None] | None = None,
    stop: asyncio.Event | None = None,
    **options: Unpack[SimulatorOptions],
) -> None:
    """Run count simulators until stop is set or the task is cancelled; for `opsuite simulate scales`."""
    simulators = await start_simulators(count, base_port, **options)
    try:
        if on_ready is not None:
            on_ready(simulators)
        await (stop or asyncio.Event()).wait()
    finally:
        with contextlib.suppress(Exception):
            await asyncio.gather(*(s.stop() for s in simulators))
