"""How an app gets its CabinetCommands: a gateway of its own on the device host, or gateways through Redis."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from opsuite.core.devices import DeviceHost
from opsuite.core.web import Part
from opsuite.powerbank.cabinets.commands import CabinetCommands, Deadlines, LocalCabinetCommands
from opsuite.powerbank.cabinets.gateway_main import build_gateway_service
from opsuite.powerbank.cabinets.gateway_service import GatewayService
from opsuite.powerbank.cabinets.placement import RedisCabinetCommands
from opsuite.powerbank.runtime import Runtime

START_TIMEOUT = 10.0


@dataclass(frozen=True)
class Cabinets:
    """The app's cabinet commands and the parts that must live as long as the app."""

    commands: CabinetCommands
    parts: list[Part]
    service: GatewayService | None = None
    """The gateway of this process (`opsuite serve`), if it has one."""


def _deadlines(runtime: Runtime) -> Deadlines:
    return Deadlines(eject=runtime.settings.eject_timeout_s, command=runtime.settings.command_timeout_s)


def in_process(runtime: Runtime, host: DeviceHost) -> Cabinets:
    """A gateway on `host`'s loop, listening for cabinets while the app runs (a laptop, one site).

    `host` must be one of the app's parts, started before these.
    """
    service = build_gateway_service(runtime)

    def start() -> None:
        host.call(service.start, timeout=START_TIMEOUT, what="cabinet gateway start")

    def stop() -> None:
        host.call(service.stop, timeout=START_TIMEOUT, what="cabinet gateway stop")

    commands = LocalCabinetCommands(
        service.gateway, host=host, clock=runtime.clock, deadlines=_deadlines(runtime)
    )
    return Cabinets(commands, [Part("cabinet gateway", start, stop)], service)


def through_redis(runtime: Runtime, redis_url: str) -> Cabinets:
    """Commands to the `opsuite gateway powerbank` processes (API workers when scaled out)."""
    import redis.asyncio

    client: Any = redis.asyncio.Redis.from_url(redis_url)
    commands = RedisCabinetCommands(client, clock=runtime.clock, deadlines=_deadlines(runtime))
    return Cabinets(commands, [Part("cabinet commands (Redis)", lambda: None, client.aclose)])
