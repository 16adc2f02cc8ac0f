"""Cabinets held by gateway processes, commanded from any API worker through Redis.

Which gateway holds which cabinet is a Redis key per cabinet (`cabinet:{box}` -> gateway id) with a
time-to-live: claimed at login, refreshed by the gateway's heartbeat loop, released when the cabinet goes
offline (only by its holder). A command is a JSON request pushed on the holder's list with a deadline; the
gateway runs it within what is left of the deadline and pushes the reply on a list of its own, which the
worker waits on with a blocking pop bounded by the same deadline.
"""

from __future__ import annotations

import asyncio
import logging
import math
import uuid
from collections.abc import Iterable
from typing import Any

from redis.exceptions import RedisError

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.powerbank.cabinets import messages
from opsuite.powerbank.cabinets.commands import CabinetCommands, Deadlines, Timeout
from opsuite.powerbank.cabinets.messages import Request
from opsuite.powerbank.devices.interface import (
    CabinetEvents,
    CabinetGateway,
    CabinetOffline,
    CabinetTimeout,
    EjectResult,
    InventoryReport,
    LoginReport,
    ServerAddress,
    SlotRecord,
    StationId,
)

log = logging.getLogger(__name__)

PREFIX = "opsuite:powerbank:"
CLAIM_BATCH = 1000
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('del', KEYS[1])
end
return 0
"""


class Keys:
    """The Redis key names, under one prefix (tests use their own)."""

    def __init__(self, prefix: str = PREFIX) -> None:
        self.prefix = prefix

    def holder(self, station_id: StationId) -> str:
        """Which gateway holds the cabinet."""
        return f"{self.prefix}cabinet:{station_id}"

    def requests(self, gateway_id: str) -> str:
        """The commands waiting for one gateway."""
        return f"{self.prefix}gateway:{gateway_id}:requests"

    def reply(self, request_id: str) -> str:
        """The answer to one command."""
        return f"{self.prefix}reply:{request_id}"


def new_gateway_id() -> str:
    """A gateway id unique to this process's run, so a restarted gateway never takes a dead one's requests."""
    return uuid.uuid4().hex


class CabinetRegistry:
    """This gateway's claims on its cabinets, each with a time-to-live."""

    def __init__(self, client: Any, gateway_id: str, *, ttl: float = 30.0, keys: Keys | None = None) -> None:
        self.client = client
        self.gateway_id = gateway_id
        self.ttl = ttl
        self.keys = keys or Keys()

    async def claim(self, station_ids: Iterable[StationId]) -> None:
        """Mark these cabinets as held here for `ttl` seconds from now."""
        milliseconds = math.ceil(self.ttl * 1000)
        batch = list(station_ids)
        for start in range(0, len(batch), CLAIM_BATCH):
            async with self.client.pipeline(transaction=False) as pipe:
                for station_id in batch[start : start + CLAIM_BATCH]:
                    pipe.set(self.keys.holder(station_id), self.gateway_id, px=milliseconds)
                await pipe.execute()

    async def release(self, station_id: StationId) -> None:
        """Drop the claim on a cabinet, unless another gateway holds it by now."""
        await self.client.eval(_RELEASE, 1, self.keys.holder(station_id), self.gateway_id)


class ClaimingEvents:
    """CabinetEvents that claims a cabinet at login and releases it offline, then tells `inner`."""

    def __init__(self, inner: CabinetEvents, registry: CabinetRegistry) -> None:
        self.inner = inner
        self.registry = registry

    async def on_login(self, report: LoginReport) -> None:
        """Claim, then tell the domain."""
        await self._registry("claim", self.registry.claim([report.station_id]))
        await self.inner.on_login(report)

    async def on_inventory(self, report: InventoryReport) -> None:
        """Tell the domain."""
        await self.inner.on_inventory(report)

    async def on_return(self, station_id: StationId, slot: int, powerbank_id: str, record: SlotRecord) -> int:
        """Tell the domain; its verdict is the reply."""
        return await self.inner.on_return(station_id, slot, powerbank_id, record)

    async def on_slot_abnormal(self, station_id: StationId, slot: int, event: int, terminal_id: str) -> None:
        """Tell the domain."""
        await self.inner.on_slot_abnormal(station_id, slot, event, terminal_id)

    async def on_offline(self, station_id: StationId, reason: str) -> None:
        """Release, then tell the domain."""
        await self._registry("release", self.registry.release(station_id))
        await self.inner.on_offline(station_id, reason)

    @staticmethod
    async def _registry(what: str, call: Any) -> None:
        # Redis away must not cost a cabinet its session: the heartbeat loop claims again when it is back.
        try:
            await call
        except (RedisError, OSError) as error:
            log.warning("cabinet registry %s failed: %s", what, error)


async def keep_claims(
    gateway: CabinetGateway, registry: CabinetRegistry, *, every: float, clock: Clock
) -> None:
    """The gateway's heartbeat: renew the claim on every online cabinet each `every` s, until cancelled."""
    while True:
        online = [station_id for station_id in gateway.status() if gateway.online(station_id)]
        try:
            await registry.claim(online)
        except (RedisError, OSError) as error:
            log.warning("cannot renew %d cabinet claims: %s", len(online), error)
        await clock.sleep(every)


class CommandServer:
    """Takes this gateway's requests off Redis and answers each within its deadline, several at a time."""

    def __init__(
        self,
        client: Any,
        gateway_id: str,
        commands: CabinetCommands,
        *,
        keys: Keys | None = None,
        clock: Clock = SYSTEM_CLOCK,
        reply_ttl: float = 60.0,
        poll: float = 1.0,
        retry: float = 1.0,
    ) -> None:
        self.client = client
        self.gateway_id = gateway_id
        self.commands = commands
        self.keys = keys or Keys()
        self.clock = clock
        self.reply_ttl = reply_ttl
        self.poll = poll
        self.retry = retry
        self._answering: set[asyncio.Task[None]] = set()

    async def serve(self) -> None:
        """Answer requests until cancelled; each is answered in its own task."""
        queue = self.keys.requests(self.gateway_id)
        try:
            while True:
                try:
                    item = await self.client.blpop([queue], timeout=self.poll)
                except (RedisError, OSError) as error:
                    log.warning("cannot read cabinet commands (%s); retrying in %g s", error, self.retry)
                    await self.clock.sleep(self.retry)
                    continue
                if item is not None:
                    task = asyncio.create_task(self._answer(item[1]))
                    self._answering.add(task)
                    task.add_done_callback(self._answering.discard)
        finally:
            for task in self._answering:
                task.cancel()
            await asyncio.gather(*self._answering, return_exceptions=True)

    async def _answer(self, text: bytes) -> None:
        try:
            request = Request.decode(text)
        except ValueError as error:
            log.warning("dropped a cabinet command: %s", error)
            return
        left = request.deadline - self.clock.now().timestamp()
        if left <= 0:
            what = (request.operation, request.station_id)
            log.info("dropped %s for %s: its deadline passed in the queue", *what)
            return
        reply = await messages.execute(self.commands, request, left)
        key = self.keys.reply(request.id)
        try:
            async with self.client.pipeline(transaction=True) as pipe:
                pipe.rpush(key, reply)
                pipe.expire(key, math.ceil(self.reply_ttl))
                await pipe.execute()
        except (RedisError, OSError) as error:
            failed = (request.operation, request.station_id, error)
            log.warning("cannot send the reply to %s for %s: %s", *failed)


class RedisCabinetCommands:
    """Implements CabinetCommands for API workers: each command goes to the gateway holding the cabinet."""

    def __init__(
        self,
        client: Any,
        *,
        keys: Keys | None = None,
        clock: Clock = SYSTEM_CLOCK,
        deadlines: Deadlines | None = None,
        grace: float = 0.5,
    ) -> None:
        self.client = client
        self.keys = keys or Keys()
        self._clock = clock
        self.deadlines = deadlines or Deadlines()
        self.grace = grace
        """Extra seconds to wait for a reply the gateway sent just before the deadline."""

    async def eject(self, station_id: StationId, slot: int, *, timeout: Timeout = None) -> EjectResult:
        """Release the bank of `slot`."""
        result: EjectResult = await self._call("eject", station_id, {"slot": slot}, timeout, eject=True)
        return result

    async def force_eject(self, station_id: StationId, slot: int, *, timeout: Timeout = None) -> EjectResult:
        """Open the lock of `slot` whatever it holds."""
        result: EjectResult = await self._call("force_eject", station_id, {"slot": slot}, timeout, eject=True)
        return result

    async def inventory(self, station_id: StationId, *, timeout: Timeout = None) -> InventoryReport:
        """The occupied slots."""
        report: InventoryReport = await self._call("inventory", station_id, {}, timeout)
        return report

    async def restart(self, station_id: StationId, *, timeout: Timeout = None) -> None:
        """Reboot the cabinet."""
        await self._call("restart", station_id, {}, timeout)

    async def read_volume(self, station_id: StationId, *, timeout: Timeout = None) -> int:
        """The voice volume level, 0..15."""
        return int(await self._call("read_volume", station_id, {}, timeout))

    async def set_volume(self, station_id: StationId, level: int, *, timeout: Timeout = None) -> None:
        """Set the voice volume level, 0..15."""
        await self._call("set_volume", station_id, {"level": level}, timeout)

    async def read_server_address(self, station_id: StationId, *, timeout: Timeout = None) -> ServerAddress:
        """Where the cabinet dials and its heartbeat period."""
        address: ServerAddress = await self._call("read_server_address", station_id, {}, timeout)
        return address

    async def set_server_address(
        self, station_id: StationId, address: ServerAddress, *, timeout: Timeout = None
    ) -> None:
        """Change where the cabinet dials and its heartbeat period."""
        wire = {"address": address.address, "port": address.port, "heartbeat_s": address.heartbeat_s}
        await self._call("set_server_address", station_id, {"address": wire}, timeout)

    async def read_iccid(self, station_id: StationId, *, timeout: Timeout = None) -> str:
        """The SIM card's ICCID."""
        return str(await self._call("read_iccid", station_id, {}, timeout))

    async def online(self, station_id: StationId) -> bool:
        """Whether some gateway holds the cabinet (its claim has not expired)."""
        try:
            return bool(await self.client.exists(self.keys.holder(station_id)))
        except (RedisError, OSError) as error:
            raise CabinetOffline(f"cabinet registry unavailable: {error}") from error

    async def holder(self, station_id: StationId) -> str | None:
        """The id of the gateway holding the cabinet, if any."""
        value = await self.client.get(self.keys.holder(station_id))
        return value.decode() if isinstance(value, bytes) else value

    async def _call(
        self,
        operation: str,
        station_id: StationId,
        arguments: dict[str, Any],
        timeout: Timeout,
        *,
        eject: bool = False,
    ) -> Any:
        seconds = self.deadlines.pick(timeout, eject=eject)
        deadline = self._clock.now().timestamp() + seconds
        request = Request(uuid.uuid4().hex, operation, station_id, arguments, deadline)
        try:
            gateway_id = await self.holder(station_id)
            if gateway_id is None:
                raise CabinetOffline(f"cabinet {station_id} is not connected to any gateway")
            queue = self.keys.requests(gateway_id)
            async with self.client.pipeline(transaction=True) as pipe:
                pipe.rpush(queue, request.encode())
                # A dead gateway's queue goes away on its own.
                pipe.expire(queue, math.ceil(seconds + self.grace))
                await pipe.execute()
            item = await self.client.blpop([self.keys.reply(request.id)], timeout=seconds + self.grace)
        except (RedisError, OSError) as error:
            raise CabinetOffline(f"cabinet command channel unavailable: {error}") from error
        if item is None:
            raise CabinetTimeout(
                f"cabinet {station_id}: {operation} not answered within its deadline of {seconds:g} s"
            )
        return messages.outcome(request, item[1])
