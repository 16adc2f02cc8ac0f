"""Cabinet commands and their outcomes as JSON, for gateways in other processes (`placement`)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from opsuite.powerbank.cabinets.commands import CabinetCommands
from opsuite.powerbank.devices.interface import (
    CabinetError,
    CabinetOffline,
    CabinetRefused,
    CabinetTimeout,
    EjectResult,
    InventoryReport,
    ServerAddress,
    SlotRecord,
)

Json = Any


@dataclass(frozen=True)
class Request:
    """A command for the gateway holding `station_id`, to answer before `deadline` (epoch seconds)."""

    id: str
    operation: str
    station_id: str
    arguments: dict[str, Json]
    deadline: float

    def encode(self) -> str:
        """The request as JSON text."""
        return json.dumps(asdict(self))

    @classmethod
    def decode(cls, text: str | bytes) -> Request:
        """A request from JSON text; ValueError if it is not one."""
        try:
            data = json.loads(text)
            return cls(
                str(data["id"]),
                str(data["operation"]),
                str(data["station_id"]),
                dict(data["arguments"]),
                float(data["deadline"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"not a cabinet command request: {error}") from error


def _eject(result: EjectResult) -> Json:
    return asdict(result)


def _eject_back(data: Json) -> EjectResult:
    return EjectResult(**data)


def _inventory(report: InventoryReport) -> Json:
    return {
        "station_id": report.station_id,
        "slots_num": report.slots_num,
        "records": [asdict(record) for record in report.records],
        "received_at": report.received_at.isoformat(),
    }


def _inventory_back(data: Json) -> InventoryReport:
    records = tuple(SlotRecord(**record) for record in data["records"])
    received_at = datetime.fromisoformat(data["received_at"])
    return InventoryReport(data["station_id"], data["slots_num"], records, received_at)


def _address(address: ServerAddress) -> Json:
    return {"address": address.address, "port": address.port, "heartbeat_s": address.heartbeat_s}


def _address_back(data: Json) -> ServerAddress:
    return ServerAddress(data["address"], data["port"], data["heartbeat_s"])


def _same(value: Json) -> Json:
    return value


@dataclass(frozen=True)
class Operation:
    """How one command runs on the gateway's side and how its answer crosses the wire."""

    run: Callable[[CabinetCommands, str, dict[str, Json], float], Awaitable[Any]]
    encode: Callable[[Any], Json] = _same
    decode: Callable[[Json], Any] = _same


OPERATIONS: dict[str, Operation] = {
    "eject": Operation(lambda c, s, a, t: c.eject(s, a["slot"], timeout=t), _eject, _eject_back),
    "force_eject": Operation(lambda c, s, a, t: c.force_eject(s, a["slot"], timeout=t), _eject, _eject_back),
    "inventory": Operation(lambda c, s, a, t: c.inventory(s, timeout=t), _inventory, _inventory_back),
    "restart": Operation(lambda c, s, a, t: c.restart(s, timeout=t)),
    "read_volume": Operation(lambda c, s, a, t: c.read_volume(s, timeout=t)),
    "set_volume": Operation(lambda c, s, a, t: c.set_volume(s, a["level"], timeout=t)),
    "read_server_address": Operation(
        lambda c, s, a, t: c.read_server_address(s, timeout=t), _address, _address_back
    ),
    "set_server_address": Operation(
        lambda c, s, a, t: c.set_server_address(s, _address_back(a["address"]), timeout=t)
    ),
    "read_iccid": Operation(lambda c, s, a, t: c.read_iccid(s, timeout=t)),
}


async def execute(commands: CabinetCommands, request: Request, timeout: float) -> str:
    """Run `request` on `commands` within `timeout` seconds; the reply as JSON text, failures included."""
    operation = OPERATIONS.get(request.operation)
    if operation is None:
        return json.dumps({"error": "invalid", "message": f"unknown operation {request.operation!r}"})
    try:
        value = await operation.run(commands, request.station_id, request.arguments, timeout)
    except CabinetRefused as error:
        reply = {"error": "refused", "message": str(error), "command": error.command, "result": error.result}
    except CabinetOffline as error:
        reply = {"error": "offline", "message": str(error)}
    except CabinetTimeout as error:
        reply = {"error": "timeout", "message": str(error)}
    except (ValueError, KeyError, TypeError) as error:
        reply = {"error": "invalid", "message": f"{type(error).__name__}: {error}"}
    else:
        reply = {"value": operation.encode(value)}
    return json.dumps(reply)


def outcome(request: Request, text: str | bytes) -> Any:
    """The value a reply carries, or the error it reports raised as the gateway raised it."""
    reply = json.loads(text)
    error = reply.get("error")
    if error is None:
        return OPERATIONS[request.operation].decode(reply["value"])
    message = str(reply.get("message", error))
    if error == "refused":
        raise CabinetRefused(request.station_id, str(reply["command"]), int(reply["result"]))
    if error == "offline":
        raise CabinetOffline(message)
    if error == "timeout":
        raise CabinetTimeout(message)
    if error == "invalid":
        raise ValueError(message)
    raise CabinetError(message)
