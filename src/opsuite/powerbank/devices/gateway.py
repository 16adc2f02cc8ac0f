"""The cabinet gateway: an asyncio TCP server that owns every cabinet connection and commands them."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable
from dataclasses import dataclass

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.powerbank.devices import protocol as p
from opsuite.powerbank.devices.interface import (
    CabinetEvents,
    CabinetOffline,
    CabinetRefused,
    CabinetStatus,
    CabinetTimeout,
    EjectResult,
    InventoryReport,
    LoginReport,
    ReturnVerdict,
    StationId,
    StationKeys,
    check_slot,
    check_volume,
)
from opsuite.powerbank.devices.wire import FrameStream, bounded, peer_name, send

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class GatewayTimeouts:
    """Every wait of the gateway, in seconds."""

    eject: float = 10.0
    """An eject or force eject answer (observed at most 1.3 s)."""
    command: float = 5.0
    """Any other command's answer."""
    queue: float = 15.0
    """Waiting for the cabinet's previous command to finish."""
    login: float = 10.0
    """Real seconds from connect to the login frame."""
    offline_after: float = 65.0
    """Silence after which a cabinet is offline: two heartbeats plus 5 s (measured gaps reach 30.6 s)."""
    watch_interval: float = 1.0
    """How often silence is checked."""
    write: float = 5.0
    """Real seconds for a cabinet to take a frame we send."""
    max_bad_frames: int = 3
    """Frames failing checksum or signature after login before the connection is closed."""


@dataclass
class _Pending:
    cmd: int
    slot: int | None
    answer: asyncio.Future[p.Message]


class _Session:
    """One logged-in cabinet connection."""

    def __init__(
        self,
        station_id: StationId,
        key: bytes,
        writer: asyncio.StreamWriter,
        login: p.Login,
        clock: Clock,
    ) -> None:
        self.station_id = station_id
        self.key = key
        self.writer = writer
        self.peer = peer_name(writer)
        self.uptime_ms = login.uptime_ms
        self.slots_num = login.slots_num
        self.connected_at = clock.now()
        self.last_seen = self.connected_at
        self.last_heard = clock.monotonic()
        self.pending: _Pending | None = None
        self.bad_frames = 0
        self.close_reason: str | None = None

    def heard(self, clock: Clock) -> None:
        self.last_seen = clock.now()
        self.last_heard = clock.monotonic()

    def close(self, reason: str) -> None:
        """Drop the connection at once (a half-open peer would never take a flush) and fail the waiter."""
        if self.close_reason is None:
            self.close_reason = reason
        self.writer.transport.abort()
        if self.pending is not None and not self.pending.answer.done():
            self.pending.answer.set_exception(CabinetOffline(f"cabinet {self.station_id}: {reason}"))


def _discard(answer: asyncio.Future[p.Message]) -> None:
    """Settle a waiter nobody awaits any more, so asyncio does not report its exception as lost."""
    if not answer.done():
        answer.cancel()
    elif not answer.cancelled():
        answer.exception()


class TcpCabinetGateway:
    """Implements CabinetGateway over the cabinets' TCP protocol: login, heartbeats, commands, events."""

    def __init__(
        self,
        keys: StationKeys,
        events: CabinetEvents,
        *,
        clock: Clock = SYSTEM_CLOCK,
        timeouts: GatewayTimeouts | None = None,
        inventory_after_events: bool = True,
    ) -> None:
        self._keys = keys
        self._events = events
        self._clock = clock
        self._timeouts = timeouts or GatewayTimeouts()
        self._inventory_after_events = inventory_after_events
        self._sessions: dict[StationId, _Session] = {}
        self._locks: dict[StationId, asyncio.Lock] = {}
        self._servers: list[asyncio.Server] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._handlers: dict[asyncio.Task[None], asyncio.StreamWriter] = {}
        self._stopping = False

    # --- lifecycle ----------------------------------------------------------------------------------

    async def start(self, host: str, port: int) -> int:
        """Listen for cabinets; returns the bound port (useful with port 0). Call again for more ports."""
        if not self._servers:
            self._stopping = False
            self._spawn(self._watch())
        server = await asyncio.start_server(self._serve, host, port)
        self._servers.append(server)
        bound: int = server.sockets[0].getsockname()[1]
        return bound

    async def stop(self) -> None:
        """Stop listening and drop every cabinet (no on_offline: the gateway, not the cabinet, went away)."""
        self._stopping = True
        for server in self._servers:
            server.close()
        for task in self._tasks:
            task.cancel()
        # Aborted transports end the handlers by EOF (asyncio logs a cancelled handler task as an error).
        for writer in self._handlers.values():
            writer.transport.abort()
        await asyncio.gather(*self._tasks, *self._handlers, return_exceptions=True)
        for server in self._servers:
            await server.wait_closed()
        self._servers = []

    def _spawn(self, coroutine: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # --- CabinetGateway -----------------------------------------------------------------------------

    async def eject(self, station_id: StationId, slot: int) -> EjectResult:
        """Release the bank of `slot` (`0x65`)."""
        return await self._eject(station_id, p.Eject(slot))

    async def force_eject(self, station_id: StationId, slot: int) -> EjectResult:
        """Open the lock of `slot` whatever it holds (`0x80`)."""
        return await self._eject(station_id, p.ForceEject(slot))

    async def _eject(self, station_id: StationId, request: p.Eject | p.ForceEject) -> EjectResult:
        check_slot(request.slot)
        answer = await self._command(station_id, request, self._timeouts.eject, slot=request.slot)
        assert isinstance(answer, p.EjectReply | p.ForceEjectReply)
        return EjectResult(station_id, answer.slot, answer.result, answer.powerbank_id)

    async def inventory(self, station_id: StationId) -> InventoryReport:
        """Ask for the occupied slots (`0x64`); on_inventory sees the answer before this returns."""
        answer = await self._command(station_id, p.InventoryRequest(), self._timeouts.command)
        assert isinstance(answer, p.Inventory)
        return self._inventory_report(station_id, answer)

    async def restart(self, station_id: StationId) -> None:
        """Reboot the cabinet (`0x67`); returns once it answered or dropped its connection to reboot."""
        await self._command(station_id, p.Restart(), self._timeouts.command, dropping_answers=True)

    async def read_volume(self, station_id: StationId) -> int:
        """The voice volume level, 0..15 (`0x77`)."""
        answer = await self._command(station_id, p.VolumeRequest(), self._timeouts.command)
        assert isinstance(answer, p.Volume)
        return answer.level

    async def set_volume(self, station_id: StationId, level: int) -> None:
        """Set the voice volume level, 0..15 (`0x70`); CabinetRefused unless the cabinet answers 1."""
        check_volume(level)
        answer = await self._command(station_id, p.SetVolume(level), self._timeouts.command)
        assert isinstance(answer, p.SetVolumeReply)
        if answer.result != p.RESULT_OK:
            raise CabinetRefused(station_id, "set volume", answer.result)

    async def read_server_address(self, station_id: StationId) -> p.ServerAddress:
        """Where the cabinet dials and its heartbeat period (`0x6A`)."""
        answer = await self._command(station_id, p.ServerAddressRequest(), self._timeouts.command)
        assert isinstance(answer, p.ServerAddress)
        return answer

    async def set_server_address(self, station_id: StationId, address: p.ServerAddress) -> None:
        """Change where the cabinet dials and its heartbeat period (`0x63`)."""
        request = p.SetServerAddress(address.address, address.port, address.heartbeat_s)
        await self._command(station_id, request, self._timeouts.command)

    async def read_iccid(self, station_id: StationId) -> str:
        """The SIM card's ICCID (`0x69`)."""
        answer = await self._command(station_id, p.IccidRequest(), self._timeouts.command)
        assert isinstance(answer, p.Iccid)
        return answer.iccid

    def online(self, station_id: StationId) -> bool:
        """Whether the cabinet has a logged-in connection heard from within the heartbeat window."""
        session = self._sessions.get(station_id)
        return session is not None and not self._silent(session)

    def status(self) -> dict[StationId, CabinetStatus]:
        """A snapshot of every connected cabinet."""
        return {
            station_id: CabinetStatus(
                station_id=station_id,
                peer=session.peer,
                connected_at=session.connected_at,
                last_seen=session.last_seen,
                uptime_ms=session.uptime_ms,
                slots_num=session.slots_num,
                busy=self._lock(station_id).locked(),
            )
            for station_id, session in self._sessions.items()
        }

    # --- commands -----------------------------------------------------------------------------------

    def _lock(self, station_id: StationId) -> asyncio.Lock:
        return self._locks.setdefault(station_id, asyncio.Lock())

    async def _command(
        self,
        station_id: StationId,
        request: p.Message,
        timeout: float,
        *,
        slot: int | None = None,
        dropping_answers: bool = False,
    ) -> p.Message:
        """Send `request` and wait for the cabinet's answer of the same command (and slot), one at a time.

        With `dropping_answers` a connection dropped after the request was sent counts as the answer.
        """
        if not self.online(station_id):
            raise CabinetOffline(f"cabinet {station_id} is not connected")
        lock = self._lock(station_id)
        try:
            await bounded(self._clock, self._timeouts.queue, lock.acquire())
        except TimeoutError:
            raise CabinetTimeout(f"cabinet {station_id} stayed busy past {self._timeouts.queue} s") from None
        try:
            session = self._sessions.get(station_id)
            if session is None:
                raise CabinetOffline(f"cabinet {station_id} went offline")
            answer: asyncio.Future[p.Message] = asyncio.get_running_loop().create_future()
            session.pending = _Pending(request.CMD, slot, answer)
            try:
                await send(session.writer, request.encode(session.key), self._timeouts.write)
                return await bounded(self._clock, timeout, answer)
            except TimeoutError:
                name = type(request).__name__
                raise CabinetTimeout(
                    f"cabinet {station_id} did not answer {name} within {timeout} s"
                ) from None
            except CabinetOffline:
                if dropping_answers:
                    return request
                raise
            except OSError as error:
                raise CabinetOffline(f"cabinet {station_id}: {error}") from error
            finally:
                session.pending = None
                _discard(answer)
        finally:
            lock.release()

    def _inventory_report(self, station_id: StationId, inventory: p.Inventory) -> InventoryReport:
        return InventoryReport(station_id, inventory.slots_num, inventory.records, self._clock.now())

    async def _refresh_inventory(self, station_id: StationId) -> None:
        try:
            await self.inventory(station_id)
        except (CabinetOffline, CabinetTimeout) as error:
            log.info("inventory after an event at %s not answered: %s", station_id, error)

    # --- connections --------------------------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        handler = asyncio.current_task()
        assert handler is not None
        self._handlers[handler] = writer
        try:
            await self._converse(FrameStream(reader), writer)
        finally:
            del self._handlers[handler]

    async def _converse(self, stream: FrameStream, writer: asyncio.StreamWriter) -> None:
        try:
            session = await self._login(stream, writer)
        except (p.ProtocolError, TimeoutError, OSError) as error:
            log.warning("cabinet at %s refused: %s", peer_name(writer), error)
            writer.transport.abort()
            return
        reason = "connection closed"
        try:
            await self._read_loop(session, stream)
        except TimeoutError:
            reason = "silent past the heartbeat window"
        except p.ProtocolError as error:
            reason = f"protocol error: {error}"
        except OSError as error:
            reason = f"connection lost: {error}"
        finally:
            session.close(reason)
            await self._forget(session)

    async def _login(self, stream: FrameStream, writer: asyncio.StreamWriter) -> _Session:
        frame = await stream.next(self._timeouts.login)
        if frame.cmd != p.CMD_LOGIN:
            raise p.ProtocolError(f"first frame is 0x{frame.cmd:02X}, not a login")
        login = p.Login.parse(frame.payload)
        key = await self._keys(login.box_id)
        if key is None:
            raise p.SignatureError(f"no key for box {login.box_id!r}")
        frame.verify(key)
        session = _Session(login.box_id, key, writer, login, self._clock)
        await self._reply_login(session)
        older = self._sessions.get(login.box_id)
        self._sessions[login.box_id] = session
        if older is not None:
            older.close("replaced by a new login")
        await self._report_login(session, login)
        return session

    async def _reply_login(self, session: _Session) -> None:
        now = self._clock.now()
        reply = p.LoginReply(p.RESULT_OK, secrets.randbits(32), int(now.timestamp()))
        await send(session.writer, reply.encode(session.key), self._timeouts.write)

    async def _report_login(self, session: _Session, login: p.Login) -> None:
        session.uptime_ms, session.slots_num = login.uptime_ms, login.slots_num
        report = LoginReport(
            session.station_id,
            session.peer,
            login.uptime_ms,
            login.slots_num,
            login.records,
            self._clock.now(),
        )
        await self._tell(self._events.on_login(report), session, "login")

    async def _read_loop(self, session: _Session, stream: FrameStream) -> None:
        while True:
            # The fake-clock watchdog decides silence; this real bound only keeps a read from hanging forever.
            frame = await stream.next(self._timeouts.offline_after)
            try:
                frame.verify(session.key)
            except p.ProtocolError as error:
                session.bad_frames += 1
                log.warning("cabinet %s sent a bad frame: %s", session.station_id, error)
                if session.bad_frames >= self._timeouts.max_bad_frames:
                    raise
                continue
            session.heard(self._clock)
            try:
                message = p.decode_from_cabinet(frame)
            except p.ProtocolError as error:
                log.warning("cabinet %s: unreadable 0x%02X: %s", session.station_id, frame.cmd, error)
                continue
            await self._dispatch(session, frame, message)

    async def _dispatch(self, session: _Session, frame: p.Frame, message: p.Message) -> None:
        station_id = session.station_id
        if isinstance(message, p.Heartbeat):
            await send(session.writer, frame.encode(), self._timeouts.write)
        elif isinstance(message, p.Login) and message.box_id == station_id:
            await self._reply_login(session)
            await self._report_login(session, message)
        elif isinstance(message, p.Return):
            await self._on_return(session, message)
        elif isinstance(message, p.SlotAbnormal):
            call = self._events.on_slot_abnormal(station_id, message.slot, message.event, message.terminal_id)
            await self._tell(call, session, "slot abnormal")
            await send(session.writer, p.SlotAbnormalAck().encode(session.key), self._timeouts.write)
            self._after_event(station_id)
        else:
            if isinstance(message, p.Inventory):
                report = self._inventory_report(station_id, message)
                await self._tell(self._events.on_inventory(report), session, "inventory")
            self._settle(session, frame.cmd, message)

    async def _on_return(self, session: _Session, report: p.Return) -> None:
        record = report.record
        try:
            verdict = await self._events.on_return(
                session.station_id, record.slot, record.powerbank_id, record
            )
        except Exception:
            # No reply: the cabinet resends the return until one is committed and acknowledged.
            log.exception("return at %s slot %d not recorded", session.station_id, record.slot)
            return
        reply = p.ReturnReply.answering(report, int(verdict))
        await send(session.writer, reply.encode(session.key), self._timeouts.write)
        if verdict == ReturnVerdict.ACCEPTED:
            self._after_event(session.station_id)

    def _after_event(self, station_id: StationId) -> None:
        if self._inventory_after_events:
            self._spawn(self._refresh_inventory(station_id))

    def _settle(self, session: _Session, cmd: int, message: p.Message) -> None:
        pending = session.pending
        slot = getattr(message, "slot", None)
        if pending is None or pending.cmd != cmd or (pending.slot is not None and pending.slot != slot):
            log.warning("cabinet %s: unexpected answer 0x%02X %r", session.station_id, cmd, message)
            return
        if not pending.answer.done():
            pending.answer.set_result(message)

    @staticmethod
    async def _tell(call: Awaitable[None], session: _Session, what: str) -> None:
        try:
            await call
        except Exception:
            log.exception("%s handler failed for cabinet %s", what, session.station_id)

    async def _forget(self, session: _Session) -> None:
        if self._sessions.get(session.station_id) is not session:
            return
        del self._sessions[session.station_id]
        if self._stopping:
            return
        reason = session.close_reason or "connection closed"
        log.info("cabinet %s offline: %s", session.station_id, reason)
        await self._tell(self._events.on_offline(session.station_id, reason), session, "offline")

    def _silent(self, session: _Session) -> bool:
        return self._clock.monotonic() - session.last_heard > self._timeouts.offline_after

    async def _watch(self) -> None:
        """Close cabinets silent past the window: a half-open connection never delivers a FIN."""
        while True:
            await self._clock.sleep(self._timeouts.watch_interval)
            for session in list(self._sessions.values()):
                if self._silent(session):
                    session.close("silent past the heartbeat window")
