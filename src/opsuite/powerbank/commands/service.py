"""Cabinet commands of the admin routes (notes §2.9): ask the cabinet with a bounded wait, keep what it said.

The wait holds no database connection: the station is looked up, the transaction ends, the cabinet is asked,
and the answer is stored in a second short transaction. Cabinet failures are 400 with a `code`
(`cabinet_offline`, `cabinet_timeout`, `cabinet_refused`): the document has no 503/504 and its client turns
502..504 into a global banner.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

from anyio import to_thread
from sqlalchemy import select
from sqlalchemy.orm import Session

from opsuite.powerbank import access
from opsuite.powerbank.access import Caller, Permission
from opsuite.powerbank.audit import service as audit
from opsuite.powerbank.cabinets.commands import CabinetCommands
from opsuite.powerbank.devices.interface import (
    CabinetOffline,
    CabinetRefused,
    CabinetTimeout,
    InventoryReport,
    ServerAddress,
)
from opsuite.powerbank.errors import BadRequest, NotFound
from opsuite.powerbank.powerbanks.models import Powerbank
from opsuite.powerbank.runtime import Runtime
from opsuite.powerbank.stations.models import Station, StationPowerbank
from opsuite.powerbank.stations.service import get_station
from opsuite.powerbank.timefmt import shown

T = TypeVar("T")

NOT_CONNECTED = "Станция не подключена"
TIMED_OUT = "Станция не ответила вовремя"
REFUSED = "Станция отклонила команду"
NO_VOLUME = "Громкость станции еще не запрашивалась"
NO_SERVER_ADDRESS = "Адрес сервера станции еще не запрашивался"
RESTART_SENT = "Команда перезагрузки отправлена"
INVENTORY_DONE = "Инвентаризация получена"
VOLUME_READ = "Громкость получена"
VOLUME_SET = "Громкость установлена"
SERVER_READ = "Адрес сервера получен"
SERVER_SET = "Адрес сервера установлен"
LEVEL_MAX = 15


class CabinetFailed(BadRequest):
    """The cabinet could not be asked or did not answer well; `code` tells which."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Target:
    """A station the caller may command: its id and the box id the gateway knows it by."""

    station_id: int
    box_id: str


def _in_transaction(runtime: Runtime, work: Callable[[Session], T], *, write: bool) -> T:
    with runtime.database.session(write=write) as session:
        return work(session)


async def in_thread(runtime: Runtime, work: Callable[[Session], T], *, write: bool = False) -> T:
    """Run `work` in a short transaction of its own in a worker thread."""
    return await to_thread.run_sync(partial(_in_transaction, runtime, work, write=write))


def target(session: Session, *, caller: Caller, station_id: int, permission: Permission) -> Target:
    """404 unknown station, 403 role or scope."""
    access.require(caller, permission)
    station = get_station(session, station_id)
    access.require_in_scope(session, caller, station.org_unit_id)
    return Target(station.id, station.box_id)


def cabinets_of(runtime: Runtime) -> CabinetCommands:
    """The app's cabinet commands (`create_app` wires them: a gateway here, or Redis to the gateways)."""
    return runtime.cabinets


async def ask(call: Awaitable[T]) -> T:
    """The cabinet's answer; its failures as 400 with a code."""
    try:
        return await call
    except CabinetOffline:
        raise CabinetFailed(NOT_CONNECTED, "cabinet_offline") from None
    except CabinetTimeout:
        raise CabinetFailed(TIMED_OUT, "cabinet_timeout") from None
    except CabinetRefused:
        raise CabinetFailed(REFUSED, "cabinet_refused") from None


async def _target(runtime: Runtime, caller: Caller, station_id: int, permission: Permission) -> Target:
    work = partial(target, caller=caller, station_id=station_id, permission=permission)
    return await in_thread(runtime, work)


def _audit(
    session: Session, caller: Caller, action: str, station_id: int, now: datetime, **details: Any
) -> None:
    audit.record(
        session,
        actor_id=caller.user_id,
        action=action,
        entity="station",
        entity_id=station_id,
        at=now,
        details=details or None,
    )


# --- restart ---------------------------------------------------------------------------------------------


async def restart(runtime: Runtime, *, caller: Caller, station_id: int) -> dict[str, Any]:
    """Send `0x67`; success once sent (a rebooting cabinet may never answer), 400 when not connected."""
    where = await _target(runtime, caller, station_id, Permission.MANAGE_EQUIPMENT)
    commands = cabinets_of(runtime)
    try:
        await ask(commands.restart(where.box_id))
    except CabinetFailed as failed:
        if failed.code != "cabinet_timeout":
            raise
    now = runtime.clock.now()
    await in_thread(runtime, lambda s: _audit(s, caller, "restart", where.station_id, now), write=True)
    return {"station_box_id": where.box_id}


# --- inventory -------------------------------------------------------------------------------------------


def _station_head(station: Station, runtime: Runtime, remain_num: int) -> dict[str, Any]:
    return {
        "station_id": station.id,
        "box_id": station.box_id,
        "slots_declared": station.slots_declared,
        "remain_num": remain_num,
        "status": station.status,
        "last_seen": shown(station.last_seen_at, runtime.zone),
    }


def _slot_rows(session: Session, station_id: int) -> list[StationPowerbank]:
    query = select(StationPowerbank).where(StationPowerbank.station_id == station_id)
    return list(session.scalars(query.order_by(StationPowerbank.slot_number)))


def stored_inventory(
    session: Session, runtime: Runtime, *, caller: Caller, station_id: int
) -> dict[str, Any]:
    """`GET /api/query-inventory/station/{id}`: the slot mirror as the last report left it."""
    where = target(session, caller=caller, station_id=station_id, permission=Permission.QUERY_INVENTORY)
    station = get_station(session, where.station_id)
    rows = _slot_rows(session, station.id)
    banks = select(Powerbank).where(Powerbank.id.in_([row.powerbank_id for row in rows]))
    serials = {bank.id: bank.serial_number for bank in session.scalars(banks)}
    inventory = [
        {
            "slot_number": row.slot_number,
            "terminal_id": serials.get(row.powerbank_id),
            "level": row.level,
            "voltage": row.voltage,
            "current": row.current,
            "temperature": row.temperature,
            "soh": row.soh,
            "status": row.status_bits,
        }
        for row in rows
    ]
    return {
        "station": _station_head(station, runtime, len(rows)),
        "inventory": inventory,
        "cache_info": {
            "slots_num": station.slots_declared,
            "last_update": shown(station.inventory_updated_at, runtime.zone),
        },
    }


def _report_rows(report: InventoryReport) -> list[dict[str, Any]]:
    return [
        {
            "slot_number": record.slot,
            "terminal_id": record.powerbank_id,
            "level": record.level,
            "voltage": record.voltage_mv,
            "current": record.current_ma,
            "temperature": record.temperature_c,
            "soh": record.soh,
            "status": record.status,
        }
        for record in sorted(report.records, key=lambda record: record.slot)
    ]


async def query_inventory(runtime: Runtime, *, caller: Caller, station_id: int) -> dict[str, Any]:
    """Ask `0x64` and answer the cabinet's slots (the gateway's event handler updates the mirror)."""
    where = await _target(runtime, caller, station_id, Permission.QUERY_INVENTORY)
    report = await ask(cabinets_of(runtime).inventory(where.box_id))

    def head(session: Session) -> dict[str, Any]:
        return _station_head(get_station(session, where.station_id), runtime, len(report.records))

    return {
        "station": await in_thread(runtime, head),
        "inventory": _report_rows(report),
        "cache_info": {"slots_num": report.slots_num, "last_update": shown(report.received_at, runtime.zone)},
    }


# --- values the cabinet answers and the station keeps ---------------------------------------------------

Send = Callable[[CabinetCommands, str], Awaitable[T]]
Keep = Callable[[Station, T, datetime], None]
Present = Callable[[Station, Runtime], dict[str, Any]]


async def _command(
    runtime: Runtime,
    caller: Caller,
    station_id: int,
    permission: Permission,
    send: Send[T],
    keep: Keep[T],
    present: Present,
    action: str | None = None,
) -> dict[str, Any]:
    """Ask the cabinet (no transaction held), then keep its answer on the station and present the station."""
    where = await _target(runtime, caller, station_id, permission)
    answer = await ask(send(cabinets_of(runtime), where.box_id))

    def work(session: Session) -> dict[str, Any]:
        station = get_station(session, where.station_id)
        now = runtime.clock.now()
        keep(station, answer, now)
        if action is not None:
            _audit(session, caller, action, station.id, now)
        return present(station, runtime)

    return await in_thread(runtime, work, write=True)


def _stored(
    session: Session,
    runtime: Runtime,
    *,
    caller: Caller,
    station_id: int,
    present: Present,
    asked_at: Callable[[Station], datetime | None],
    missing: str,
) -> dict[str, Any]:
    """A kept value of a station in reach; 404 with `missing` when it was never asked."""
    where = target(session, caller=caller, station_id=station_id, permission=Permission.READ_ALL)
    station = get_station(session, where.station_id)
    if asked_at(station) is None:
        raise NotFound(missing)
    return present(station, runtime)


def _volume_body(station: Station, runtime: Runtime) -> dict[str, Any]:
    level = station.volume_level
    return {
        "station_id": station.id,
        "station_box_id": station.box_id,
        "voice_volume": {
            "volume_level": level,
            "volume_percentage": round(level * 100 / LEVEL_MAX) if level is not None else None,
            "last_update": shown(station.volume_updated_at, runtime.zone),
        },
    }


def _keep_volume(station: Station, level: int, now: datetime) -> None:
    station.volume_level, station.volume_updated_at = level, now


def stored_volume(session: Session, runtime: Runtime, *, caller: Caller, station_id: int) -> dict[str, Any]:
    """`GET /api/query-voice-volume/station/{id}`; 404 before any query."""
    return _stored(
        session,
        runtime,
        caller=caller,
        station_id=station_id,
        present=_volume_body,
        asked_at=lambda station: station.volume_updated_at,
        missing=NO_VOLUME,
    )


async def query_volume(runtime: Runtime, *, caller: Caller, station_id: int) -> dict[str, Any]:
    """Ask `0x77` and keep the level."""

    async def send(commands: CabinetCommands, box_id: str) -> int:
        return await commands.read_volume(box_id)

    return await _command(
        runtime, caller, station_id, Permission.MANAGE_EQUIPMENT, send, _keep_volume, _volume_body
    )


async def set_volume(runtime: Runtime, *, caller: Caller, station_id: int, level: int) -> dict[str, Any]:
    """Send `0x70` and keep the level once the cabinet confirms."""

    async def send(commands: CabinetCommands, box_id: str) -> int:
        await commands.set_volume(box_id, level)
        return level

    return await _command(
        runtime,
        caller,
        station_id,
        Permission.MANAGE_EQUIPMENT,
        send,
        _keep_volume,
        _volume_body,
        "set_volume",
    )


def _server_body(station: Station, runtime: Runtime) -> dict[str, Any]:
    return {
        "station_id": station.id,
        "station_box_id": station.box_id,
        "server_address": {
            "address": station.server_address,
            "port": station.server_port,
            "heartbeat_interval": station.heartbeat_interval,
            "last_update": shown(station.server_updated_at, runtime.zone),
        },
    }


def _keep_server(station: Station, address: ServerAddress, now: datetime) -> None:
    station.server_address, station.server_port = address.address, address.port
    station.heartbeat_interval, station.server_updated_at = address.heartbeat_s, now


def stored_server_address(
    session: Session, runtime: Runtime, *, caller: Caller, station_id: int
) -> dict[str, Any]:
    """`GET /api/query-server-address/station/{id}`; 404 before any query."""
    return _stored(
        session,
        runtime,
        caller=caller,
        station_id=station_id,
        present=_server_body,
        asked_at=lambda station: station.server_updated_at,
        missing=NO_SERVER_ADDRESS,
    )


async def query_server_address(runtime: Runtime, *, caller: Caller, station_id: int) -> dict[str, Any]:
    """Ask `0x6A` and keep the answer."""

    async def send(commands: CabinetCommands, box_id: str) -> ServerAddress:
        return await commands.read_server_address(box_id)

    return await _command(
        runtime, caller, station_id, Permission.MANAGE_EQUIPMENT, send, _keep_server, _server_body
    )


async def set_server_address(
    runtime: Runtime, *, caller: Caller, station_id: int, address: ServerAddress
) -> dict[str, Any]:
    """Send `0x63` (service admin only) and keep the new address once the cabinet confirms."""

    async def send(commands: CabinetCommands, box_id: str) -> ServerAddress:
        await commands.set_server_address(box_id, address)
        return address

    return await _command(
        runtime,
        caller,
        station_id,
        Permission.SERVICE,
        send,
        _keep_server,
        _server_body,
        "set_server_address",
    )


# --- ICCID -----------------------------------------------------------------------------------------------


def _iccid_body(station: Station, runtime: Runtime) -> dict[str, Any]:
    return {
        "station_id": station.id,
        "box_id": station.box_id,
        "iccid": station.iccid,
        "updated_at": shown(station.iccid_updated_at, runtime.zone),
    }


async def iccid(runtime: Runtime, *, caller: Caller, station_id: int, refresh: bool) -> dict[str, Any]:
    """The stored ICCID; with `refresh`, asked of the cabinet (`0x69`) and kept first."""
    permission = Permission.MANAGE_EQUIPMENT if refresh else Permission.READ_ALL
    where = await _target(runtime, caller, station_id, permission)
    value = await ask(cabinets_of(runtime).read_iccid(where.box_id)) if refresh else None

    def work(session: Session) -> dict[str, Any]:
        station = get_station(session, where.station_id)
        if value is not None:
            station.iccid, station.iccid_updated_at = value, runtime.clock.now()
        return _iccid_body(station, runtime)

    return await in_thread(runtime, work, write=refresh)
