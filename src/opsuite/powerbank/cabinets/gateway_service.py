"""A gateway process: the TCP gateway on its ports and, with Redis, its cabinet claims and command server."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Sequence
from typing import Any

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.powerbank.cabinets.commands import LocalCabinetCommands
from opsuite.powerbank.cabinets.placement import (
    CabinetRegistry,
    ClaimingEvents,
    CommandServer,
    Keys,
    keep_claims,
    new_gateway_id,
)
from opsuite.powerbank.devices.gateway import GatewayTimeouts, TcpCabinetGateway
from opsuite.powerbank.devices.interface import CabinetEvents, StationKeys

log = logging.getLogger(__name__)


class GatewayService:
    """Owns the cabinet connections of one process; with a Redis URL any API worker can command them."""

    def __init__(
        self,
        keys: StationKeys,
        events: CabinetEvents,
        *,
        host: str,
        ports: Sequence[int],
        redis_url: str | None = None,
        redis_keys: Keys | None = None,
        timeouts: GatewayTimeouts | None = None,
        claim_ttl: float = 30.0,
        claim_every: float = 10.0,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.host = host
        self.ports = list(ports)
        self.gateway_id = new_gateway_id()
        self.claim_every = claim_every
        self.clock = clock
        self._redis: Any = None
        self.registry: CabinetRegistry | None = None
        if redis_url:
            import redis.asyncio  # only when scaled out

            self._redis = redis.asyncio.Redis.from_url(redis_url)
            self.registry = CabinetRegistry(self._redis, self.gateway_id, ttl=claim_ttl, keys=redis_keys)
            events = ClaimingEvents(events, self.registry)
        self.redis_keys = redis_keys or Keys()
        self.gateway = TcpCabinetGateway(keys, events, clock=clock, timeouts=timeouts)
        self.bound: list[int] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._spawned: set[asyncio.Task[None]] = set()

    async def start(self) -> list[int]:
        """Listen on every port (0 picks a free one); returns the bound ports."""
        self.bound = [await self.gateway.start(self.host, port) for port in self.ports]
        if self.registry is not None:
            claims = keep_claims(self.gateway, self.registry, every=self.claim_every, clock=self.clock)
            self._tasks.append(asyncio.create_task(claims, name="powerbank-gateway:claims"))
            server = CommandServer(
                self._redis, self.gateway_id, self.commands(), keys=self.redis_keys, clock=self.clock
            )
            self._tasks.append(asyncio.create_task(server.serve(), name="powerbank-gateway:commands"))
        log.info("cabinet gateway %s listening on %s ports %s", self.gateway_id, self.host, self.bound)
        return self.bound

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` alongside the gateway; it is cancelled by `stop`."""
        task = asyncio.create_task(work)
        self._spawned.add(task)
        task.add_done_callback(self._spawned.discard)

    def commands(self) -> LocalCabinetCommands:
        """Commands on the cabinets of this process."""
        return LocalCabinetCommands(self.gateway, clock=self.clock)

    async def stop(self) -> None:
        """Stop serving commands, drop every cabinet, close Redis."""
        tasks = [*self._tasks, *self._spawned]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._tasks = []
        await self.gateway.stop()
        if self._redis is not None:
            await self._redis.aclose()

    async def run(self) -> None:
        """Start, then serve until cancelled."""
        await self.start()
        try:
            await asyncio.Event().wait()
        finally:
            await self.stop()
