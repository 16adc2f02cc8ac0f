"""What the power-bank domain asks of its cabinets, what it is told back, and the errors it may get."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from typing import Protocol, runtime_checkable

from opsuite.powerbank.devices.protocol import ServerAddress, SlotRecord

__all__ = [
    "CabinetError",
    "CabinetEvents",
    "CabinetGateway",
    "CabinetOffline",
    "CabinetRefused",
    "CabinetStatus",
    "CabinetTimeout",
    "EjectResult",
    "InventoryReport",
    "LoginReport",
    "ReturnVerdict",
    "ServerAddress",
    "SlotRecord",
    "StationId",
    "StationKeys",
]

StationId = str
"""A cabinet's box id as it logs in (`DCHEY02504000018`); the domain maps it to its station row."""

VOLUME_LEVELS = range(16)
SLOTS = range(1, 256)


class CabinetError(Exception):
    """Any failure of a cabinet command."""


class CabinetOffline(CabinetError):
    """The cabinet has no logged-in connection, or lost it while a command waited."""


class CabinetTimeout(CabinetError):
    """The cabinet did not answer within the command's deadline, or its queue stayed busy past it."""


class CabinetRefused(CabinetError):
    """The cabinet answered with a result other than success."""

    def __init__(self, station_id: StationId, command: str, result: int) -> None:
        self.station_id = station_id
        self.command = command
        self.result = result
        super().__init__(f"cabinet {station_id} refused {command} (result {result})")


class ReturnVerdict(IntEnum):
    """The result byte of the `0x66` reply; the domain answers ACCEPTED once the return is committed."""

    FAILURE = 0
    ACCEPTED = 1
    STATUS_ERROR = 2
    DUPLICATE = 3
    INVALID_ID = 4
    SLOT_NOT_EMPTY = 5


@dataclass(frozen=True)
class EjectResult:
    """A cabinet's answer to an eject (`0x65`) or a force eject (`0x80`)."""

    station_id: StationId
    slot: int
    result: int
    """1 success; anything else a failure (a jammed slot answers 0 and keeps its bank)."""
    powerbank_id: str
    """The bank the cabinet read in the slot, 16 hex digits."""

    @property
    def ok(self) -> bool:
        """Whether the cabinet reported success."""
        return self.result == 1


@dataclass(frozen=True)
class InventoryReport:
    """The occupied slots of a cabinet, as it reported them."""

    station_id: StationId
    slots_num: int
    records: tuple[SlotRecord, ...]
    received_at: datetime


@dataclass(frozen=True)
class LoginReport:
    """A cabinet that logged in with a valid signature."""

    station_id: StationId
    peer: str
    uptime_ms: int
    """Milliseconds since the cabinet booted; a drop between logins means it rebooted."""
    slots_num: int
    records: tuple[SlotRecord, ...]
    logged_in_at: datetime


@dataclass(frozen=True)
class CabinetStatus:
    """A snapshot of one connected cabinet."""

    station_id: StationId
    peer: str
    connected_at: datetime
    last_seen: datetime
    uptime_ms: int
    slots_num: int
    busy: bool
    """A command is in flight."""


class StationKeys(Protocol):
    """Finds a station's secret key; None refuses the cabinet (unknown box, no key, not admitted)."""

    async def __call__(self, station_id: StationId) -> bytes | None:
        """The ASCII key the cabinet must sign its frames with, or None."""
        ...


class CabinetEvents(Protocol):
    """What the gateway tells the domain; each call is awaited before the cabinet's next frame is read."""

    async def on_login(self, report: LoginReport) -> None:
        """A cabinet logged in (or replaced its older connection)."""
        ...

    async def on_inventory(self, report: InventoryReport) -> None:
        """A cabinet reported its slots, whoever asked."""
        ...

    async def on_return(self, station_id: StationId, slot: int, powerbank_id: str, record: SlotRecord) -> int:
        """A bank was pushed into `slot`; answer a ReturnVerdict after committing. Raising sends no reply."""
        ...

    async def on_slot_abnormal(self, station_id: StationId, slot: int, event: int, terminal_id: str) -> None:
        """Event 1: a bank left without an unlock command; event 2: a return was detected but no bank."""
        ...

    async def on_offline(self, station_id: StationId, reason: str) -> None:
        """The cabinet's connection closed or went silent past the heartbeat window."""
        ...


@runtime_checkable
class CabinetGateway(Protocol):
    """The cabinets, as the domain commands them; every call is bounded in time."""

    async def eject(self, station_id: StationId, slot: int) -> EjectResult:
        """Release the bank of `slot` (`0x65`)."""
        ...

    async def force_eject(self, station_id: StationId, slot: int) -> EjectResult:
        """Open the lock of `slot` whatever it holds (`0x80`)."""
        ...

    async def inventory(self, station_id: StationId) -> InventoryReport:
        """Ask for the occupied slots (`0x64`); CabinetEvents.on_inventory sees the answer too."""
        ...

    async def restart(self, station_id: StationId) -> None:
        """Reboot the cabinet (`0x67`); returns once it answered or dropped its connection."""
        ...

    async def read_volume(self, station_id: StationId) -> int:
        """The voice volume level, 0..15 (`0x77`)."""
        ...

    async def set_volume(self, station_id: StationId, level: int) -> None:
        """Set the voice volume level, 0..15 (`0x70`)."""
        ...

    async def read_server_address(self, station_id: StationId) -> ServerAddress:
        """Where the cabinet dials and its heartbeat period (`0x6A`)."""
        ...

    async def set_server_address(self, station_id: StationId, address: ServerAddress) -> None:
        """Change where the cabinet dials and its heartbeat period (`0x63`)."""
        ...

    async def read_iccid(self, station_id: StationId) -> str:
        """The SIM card's ICCID (`0x69`)."""
        ...

    def online(self, station_id: StationId) -> bool:
        """Whether the cabinet has a logged-in connection heard from within the heartbeat window."""
        ...

    def status(self) -> dict[StationId, CabinetStatus]:
        """A snapshot of every connected cabinet."""
        ...


def check_slot(slot: int) -> None:
    """Refuse a slot number the wire cannot carry."""
    if slot not in SLOTS:
        raise ValueError(f"slot must be 1..255, not {slot}")


def check_volume(level: int) -> None:
    """Refuse a volume level outside 0..15."""
    if level not in VOLUME_LEVELS:
        raise ValueError(f"volume level must be 0..15, not {level}")
