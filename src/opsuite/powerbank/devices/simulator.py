"""A virtual cabinet (notes §5): dials the gateway, logs in, heart-beats, answers from its slot table."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Mapping
from dataclasses import replace
from enum import StrEnum

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.powerbank.devices import protocol as p
from opsuite.powerbank.devices.cabinet_state import NO_BANK, Bank, CabinetState, banks_from
from opsuite.powerbank.devices.wire import FrameStream, bounded, send

log = logging.getLogger(__name__)

RETURN_STATUS = 0x48
"""The insertion switch is clear in many real return reports; the next inventory shows it set."""
WRITE_TIMEOUT = 5.0
IDLE_READ = 3600.0


class Fault(StrEnum):
    """What the cabinet does wrong, from now on (`JAM` only for the jammed slots)."""

    NONE = "none"
    SILENT = "silent"
    """No heartbeats, no answers, no FIN: a half-open connection."""
    LATE = "late"
    """Every answer `late_by` seconds after the request."""
    BAD_CHECKSUM = "bad_checksum"
    """Every frame with a wrong XOR byte."""
    WRONG_TOKEN = "wrong_token"
    """Every frame signed with another key, the login included."""
    DROP = "drop"
    """The connection closes on the next command, unanswered; then the cabinet dials again."""
    HALF_OPEN = "half_open"
    """Silent for `half_open_s`, deaf to the server's close, then dials anew; the old socket stays open."""
    JAM = "jam"
    """Ejects of a jammed slot answer result 0 and the bank stays."""


DELAYS: Mapping[int, tuple[float, float]] = {
    p.CMD_INVENTORY: (0.03, 0.05),
    p.CMD_EJECT: (0.7, 1.15),
    p.CMD_FORCE_EJECT: (0.55, 1.3),
    p.CMD_VOLUME: (0.03, 1.9),
    p.CMD_SERVER_ADDRESS: (0.04, 1.0),
    p.CMD_SET_VOLUME: (0.13, 0.6),
}
"""Answer delays measured on real cabinets, seconds (notes §4.5)."""
INVENTORY_AFTER_EJECT = 0.5


class CabinetSimulator:
    """One virtual cabinet; `start()` dials the gateway and keeps dialling after a drop or a restart."""

    def __init__(
        self,
        box_id: str,
        key: bytes,
        *,
        host: str,
        port: int,
        slots: int = 8,
        banks: Mapping[int, Bank | str] | None = None,
        clock: Clock = SYSTEM_CLOCK,
        delay_scale: float = 0.0,
        seed: int = 0,
        heartbeat_s: int = 30,
        uptime_ms: int = 0,
        iccid: str = "89701010000000000001",
        volume: int = 2,
        reconnect_delay: float | None = 1.0,
        resend_interval: float = 1.2,
        resends: int = 5,
        late_by: float = 2.0,
        half_open_s: float = 75.0,
        split_writes: bool = False,
    ) -> None:
        self.box_id = box_id
        self.key = key
        self.host = host
        self.port = port
        self.state = CabinetState(
            slots_num=slots,
            banks=banks_from(banks),
            volume=volume,
            iccid=iccid,
            address=p.ServerAddress(host, str(port), heartbeat_s),
        )
        """The slot table and settings; tests may read and change it."""
        self.clock = clock
        self.delay_scale = delay_scale
        self.reconnect_delay = reconnect_delay
        self.resend_interval = resend_interval
        self.resends = resends
        self.late_by = late_by
        self.half_open_s = half_open_s
        """Seconds of silence before a half-open cabinet dials again (60-90 s observed)."""
        self.split_writes = split_writes
        self.fault = Fault.NONE
        self.received: list[p.Message] = []
        """Every message the server sent, heartbeats and replies included, in order."""
        self.connections = 0
        self.logins = 0
        self.refusals = 0
        """Connections closed by the server before it answered the login."""
        self.last_server_time = 0
        self._random = random.Random(seed)
        self._uptime_base = uptime_ms
        self._booted = clock.monotonic()
        self._writer: asyncio.StreamWriter | None = None
        self._replies: dict[tuple[int, int | None], asyncio.Future[p.Message]] = {}
        self._logged_in = asyncio.Event()
        self._run: asyncio.Task[None] | None = None
        self._ejected = False
        self._abandoning = False
        self._abandoned: list[asyncio.StreamWriter] = []
        self._redial: asyncio.Task[None] | None = None

    # --- lifecycle ----------------------------------------------------------------------------------

    async def start(self) -> None:
        """Start dialling; `wait_logged_in` tells when the gateway accepted the login."""
        self._run = asyncio.create_task(self._dial())

    async def stop(self) -> None:
        """Hang up and stop dialling."""
        for task in (self._redial, self._run):
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        self._redial = self._run = None
        for writer in self._abandoned:
            writer.transport.abort()
        self._abandoned.clear()

    async def wait_logged_in(self, timeout: float = 5.0) -> None:
        """Wait (real seconds) until the current connection's login was answered."""
        async with asyncio.timeout(timeout):
            await self._logged_in.wait()

    @property
    def logged_in(self) -> bool:
        """Whether the current connection's login was answered."""
        return self._logged_in.is_set()

    def set_fault(self, fault: Fault, slot: int | None = None) -> None:
        """Misbehave from now on; `slot` adds a jammed slot for `JAM`, `NONE` also frees every jammed slot."""
        self.fault = fault
        if fault is Fault.NONE:
            self.state.jammed.clear()
        if slot is not None:
            self.state.jammed.add(slot)
        if fault is Fault.HALF_OPEN and self._redial is None:
            self._redial = asyncio.create_task(self._half_open(self.clock.monotonic() + self.half_open_s))

    async def _half_open(self, due: float) -> None:
        """At `due` (monotonic) leave the silent connection open, unread, and dial a new one."""
        await self.clock.sleep(due - self.clock.monotonic())
        self._redial = None
        self.fault = Fault.NONE
        if self._run is not None:
            self._abandoning = True
            self._run.cancel()
            await asyncio.gather(self._run, return_exceptions=True)
            self._abandoning = False
        self._run = asyncio.create_task(self._dial())

    def reboot(self) -> None:
        """Reset the uptime, as after a power cycle."""
        self._uptime_base = 0
        self._booted = self.clock.monotonic()

    @property
    def uptime_ms(self) -> int:
        """Milliseconds since boot."""
        return self._uptime_base + int((self.clock.monotonic() - self._booted) * 1000)

    # --- events the cabinet reports -----------------------------------------------------------------

    async def insert(self, slot: int, bank: Bank | str) -> int:
        """Push a bank into `slot` (`0x66`), resending until the server replies; returns its result byte."""
        held = Bank(bank) if isinstance(bank, str) else bank
        self.state.banks[slot] = held
        report = p.Return(replace(held, status=RETURN_STATUS).record(slot))
        answer = await self._report(report, (p.CMD_RETURN, slot))
        assert isinstance(answer, p.ReturnReply)
        return answer.result

    async def pull(self, slot: int) -> None:
        """Take a bank out without an unlock command (`0x83` event 1)."""
        bank = self.state.banks.pop(slot, None)
        ident = bank.powerbank_id if bank is not None else NO_BANK
        await self._report(p.SlotAbnormal(1, slot, ident), (p.CMD_SLOT_ABNORMAL, None))

    async def phantom_return(self, slot: int) -> None:
        """Feel a return with no bank in the slot (`0x83` event 2)."""
        await self._report(p.SlotAbnormal(2, slot, NO_BANK), (p.CMD_SLOT_ABNORMAL, None))

    def take(self, slot: int) -> Bank | None:
        """A user takes the bank a force eject left unlatched in `slot`."""
        return self.state.banks.pop(slot, None)

    async def _report(self, message: p.Message, waiting: tuple[int, int | None]) -> p.Message:
        for _ in range(self.resends + 1):
            answer: asyncio.Future[p.Message] = asyncio.get_running_loop().create_future()
            self._replies[waiting] = answer
            try:
                await self._send(message)
                return await bounded(self.clock, self.resend_interval, answer)
            except TimeoutError:
                continue
            finally:
                self._replies.pop(waiting, None)
        raise TimeoutError(f"{self.box_id}: no reply to {type(message).__name__}")

    # --- connection ---------------------------------------------------------------------------------

    async def _dial(self) -> None:
        while True:
            try:
                reader, writer = await asyncio.open_connection(self.host, self.port)
            except OSError as error:
                log.info("cabinet %s cannot dial: %s", self.box_id, error)
            else:
                self.connections += 1
                await self._converse(FrameStream(reader), writer)
            if self.reconnect_delay is None:
                return
            await self.clock.sleep(self.reconnect_delay)

    async def _converse(self, stream: FrameStream, writer: asyncio.StreamWriter) -> None:
        self._writer = writer
        heartbeat: asyncio.Task[None] | None = None
        try:
            await self._login(stream)
            heartbeat = asyncio.create_task(self._heartbeat())
            while True:
                await self._handle(await stream.next(IDLE_READ))
        except (OSError, TimeoutError, p.ProtocolError) as error:
            log.info("cabinet %s disconnected: %s", self.box_id, error)
            if self.fault is Fault.HALF_OPEN:
                await asyncio.get_running_loop().create_future()  # it never notices; `_half_open` ends this
        finally:
            self._logged_in.clear()
            self._writer = None
            if heartbeat is not None:
                heartbeat.cancel()
            if self._abandoning:
                self._abandoned.append(writer)  # no FIN, no RST: the server hears nothing more
            else:
                writer.transport.abort()

    async def _login(self, stream: FrameStream) -> None:
        state = self.state
        login = p.Login(self.uptime_ms, self.box_id, self.last_server_time, state.slots_num, state.records())
        await self._send(login)
        try:
            frame = await stream.next(IDLE_READ)
        except OSError:
            self.refusals += 1
            raise
        reply = p.decode_from_server(frame)
        if not isinstance(reply, p.LoginReply) or reply.result != p.RESULT_OK:
            raise p.ProtocolError(f"login not accepted: {reply!r}")
        self.received.append(reply)
        self.last_server_time = reply.timestamp
        self.logins += 1
        self._logged_in.set()

    async def _heartbeat(self) -> None:
        while True:
            await self.clock.sleep(self.state.address.heartbeat_s)
            if self.fault not in (Fault.SILENT, Fault.HALF_OPEN):
                await self._send(p.Heartbeat())

    async def _send(self, message: p.Message) -> None:
        writer = self._writer
        if writer is None:
            raise ConnectionResetError(f"cabinet {self.box_id} is not connected")
        key = self.key + b"?" if self.fault is Fault.WRONG_TOKEN else self.key
        frame = message.frame(key)
        if self.fault is Fault.BAD_CHECKSUM:
            frame = replace(frame, checksum=frame.checksum ^ 0xFF)
        data = frame.encode()
        if not self.split_writes:
            await send(writer, data, WRITE_TIMEOUT)
            return
        for index in range(len(data)):
            await send(writer, data[index : index + 1], WRITE_TIMEOUT)

    async def _handle(self, frame: p.Frame) -> None:
        try:
            frame.verify(self.key)
            message = p.decode_from_server(frame)
        except p.ProtocolError as error:
            log.warning("cabinet %s ignores a bad frame: %s", self.box_id, error)
            return
        self.received.append(message)
        slot = getattr(message, "slot", None) if isinstance(message, p.ReturnReply) else None
        waiter = self._replies.get((frame.cmd, slot))
        if waiter is not None and not waiter.done():
            waiter.set_result(message)
            return
        if isinstance(message, (p.Heartbeat, p.LoginReply, p.ReturnReply, p.SlotAbnormalAck)):
            return
        await self._answer(message)

    async def _answer(self, request: p.Message) -> None:
        if self.fault in (Fault.SILENT, Fault.HALF_OPEN):
            return
        if self.fault is Fault.DROP:
            raise ConnectionResetError("dropped on a command")
        await self._delay(request.CMD)
        await self._send(self.state.reply(request))
        if isinstance(request, p.Restart):
            self.reboot()
            raise ConnectionResetError("restarting")

    async def _delay(self, cmd: int) -> None:
        low, high = DELAYS.get(cmd, (0.0, 0.0))
        if cmd == p.CMD_INVENTORY and self._ejected:
            low = high = INVENTORY_AFTER_EJECT
        self._ejected = cmd in (p.CMD_EJECT, p.CMD_FORCE_EJECT)
        seconds = self._random.uniform(low, high) * self.delay_scale
        if self.fault is Fault.LATE:
            seconds += self.late_by
        if seconds > 0:
            await self.clock.sleep(seconds)
