"""An in-memory CabinetGateway for domain unit tests: no sockets, programmable results, calls recorded."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.powerbank.devices import protocol as p
from opsuite.powerbank.devices.cabinet_state import NO_BANK, Bank, CabinetState, banks_from
from opsuite.powerbank.devices.interface import (
    CabinetEvents,
    CabinetOffline,
    CabinetRefused,
    CabinetStatus,
    EjectResult,
    InventoryReport,
    StationId,
    check_slot,
    check_volume,
)

Operation = Literal[
    "eject",
    "force_eject",
    "inventory",
    "restart",
    "read_volume",
    "set_volume",
    "read_server_address",
    "set_server_address",
    "read_iccid",
]


@dataclass(frozen=True)
class Call:
    """One call the fake received."""

    operation: Operation
    station_id: StationId
    argument: object = None


@dataclass
class FakeCabinet:
    """A cabinet of the fake: its state, whether it is connected, when it logged in."""

    state: CabinetState
    online: bool
    connected_at: datetime


class FakeCabinetGateway:
    """Implements CabinetGateway in memory; cabinets answer from their slot table or a queued outcome."""

    def __init__(self, events: CabinetEvents | None = None, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self.events = events
        self.clock = clock
        self.cabinets: dict[StationId, FakeCabinet] = {}
        self.calls: list[Call] = []
        self._queued: dict[tuple[StationId, Operation], deque[object]] = defaultdict(deque)

    # --- programming --------------------------------------------------------------------------------

    def add_cabinet(
        self,
        station_id: StationId,
        *,
        slots: int = 8,
        banks: Mapping[int, Bank | str] | None = None,
        online: bool = True,
    ) -> CabinetState:
        """Connect a cabinet holding `banks`; returns its state for the test to read or change."""
        state = CabinetState(slots_num=slots, banks=banks_from(banks))
        self.cabinets[station_id] = FakeCabinet(state, online, self.clock.now())
        return state

    def set_online(self, station_id: StationId, online: bool) -> None:
        """Connect or disconnect a cabinet."""
        self.cabinets[station_id].online = online

    def queue(self, station_id: StationId, operation: Operation, *outcomes: object) -> None:
        """The next calls of `operation` at the cabinet return these values, or raise them if exceptions."""
        self._queued[station_id, operation].extend(outcomes)

    # --- events, as a cabinet would report them -----------------------------------------------------

    async def insert(self, station_id: StationId, slot: int, bank: Bank | str) -> int:
        """Push a bank into a slot and tell the events' on_return; returns its verdict."""
        held = Bank(bank) if isinstance(bank, str) else bank
        self._state(station_id).banks[slot] = held
        assert self.events is not None, "insert needs events"
        return await self.events.on_return(station_id, slot, held.powerbank_id, held.record(slot))

    async def pull(self, station_id: StationId, slot: int) -> None:
        """Take a bank out without a command and tell the events' on_slot_abnormal (event 1)."""
        bank = self._state(station_id).banks.pop(slot, None)
        assert self.events is not None, "pull needs events"
        ident = bank.powerbank_id if bank is not None else NO_BANK
        await self.events.on_slot_abnormal(station_id, slot, 1, ident)

    # --- CabinetGateway -----------------------------------------------------------------------------

    async def eject(self, station_id: StationId, slot: int) -> EjectResult:
        """Release the bank of `slot`."""
        return self._eject("eject", station_id, p.Eject(slot))

    async def force_eject(self, station_id: StationId, slot: int) -> EjectResult:
        """Open the lock of `slot`; the bank stays unlatched."""
        return self._eject("force_eject", station_id, p.ForceEject(slot))

    def _eject(
        self, operation: Operation, station_id: StationId, request: p.Eject | p.ForceEject
    ) -> EjectResult:
        check_slot(request.slot)
        answer = self._answer(operation, station_id, request.slot, request)
        if isinstance(answer, p.EjectReply | p.ForceEjectReply):
            return EjectResult(station_id, answer.slot, answer.result, answer.powerbank_id)
        assert isinstance(answer, EjectResult)
        return answer

    async def inventory(self, station_id: StationId) -> InventoryReport:
        """The cabinet's occupied slots; events.on_inventory sees them too."""
        answer = self._answer("inventory", station_id, None, p.InventoryRequest())
        if isinstance(answer, p.Inventory):
            answer = InventoryReport(station_id, answer.slots_num, answer.records, self.clock.now())
        assert isinstance(answer, InventoryReport)
        if self.events is not None:
            await self.events.on_inventory(answer)
        return answer

    async def restart(self, station_id: StationId) -> None:
        """Record a restart."""
        self._answer("restart", station_id, None, p.Restart())

    async def read_volume(self, station_id: StationId) -> int:
        """The cabinet's volume level."""
        answer = self._answer("read_volume", station_id, None, p.VolumeRequest())
        return answer.level if isinstance(answer, p.Volume) else _int(answer)

    async def set_volume(self, station_id: StationId, level: int) -> None:
        """Set the volume level; a queued int is the cabinet's result byte."""
        check_volume(level)
        answer = self._answer("set_volume", station_id, level, p.SetVolume(level))
        result = answer.result if isinstance(answer, p.SetVolumeReply) else _int(answer)
        if result != p.RESULT_OK:
            raise CabinetRefused(station_id, "set volume", result)

    async def read_server_address(self, station_id: StationId) -> p.ServerAddress:
        """Where the cabinet dials."""
        answer = self._answer("read_server_address", station_id, None, p.ServerAddressRequest())
        assert isinstance(answer, p.ServerAddress)
        return answer

    async def set_server_address(self, station_id: StationId, address: p.ServerAddress) -> None:
        """Change where the cabinet dials."""
        request = p.SetServerAddress(address.address, address.port, address.heartbeat_s)
        self._answer("set_server_address", station_id, address, request)

    async def read_iccid(self, station_id: StationId) -> str:
        """The cabinet's ICCID."""
        answer = self._answer("read_iccid", station_id, None, p.IccidRequest())
        if isinstance(answer, p.Iccid):
            return answer.iccid
        assert isinstance(answer, str)
        return answer

    def online(self, station_id: StationId) -> bool:
        """Whether the cabinet is connected."""
        cabinet = self.cabinets.get(station_id)
        return cabinet is not None and cabinet.online

    def status(self) -> dict[StationId, CabinetStatus]:
        """A snapshot of the connected cabinets."""
        return {
            station_id: CabinetStatus(
                station_id=station_id,
                peer="fake",
                connected_at=cabinet.connected_at,
                last_seen=self.clock.now(),
                uptime_ms=0,
                slots_num=cabinet.state.slots_num,
                busy=False,
            )
            for station_id, cabinet in self.cabinets.items()
            if cabinet.online
        }

    # --- internals ----------------------------------------------------------------------------------

    def _state(self, station_id: StationId) -> CabinetState:
        return self.cabinets[station_id].state

    def _answer(
        self, operation: Operation, station_id: StationId, argument: object, request: p.Message
    ) -> object:
        """A queued outcome (raised if an error), else the slot table's reply to `request`."""
        self.calls.append(Call(operation, station_id, argument))
        if not self.online(station_id):
            raise CabinetOffline(f"cabinet {station_id} is not connected")
        queued = self._queued[station_id, operation]
        if queued:
            outcome = queued.popleft()
            if isinstance(outcome, Exception):
                raise outcome
            return outcome
        return self._state(station_id).reply(request)


def _int(value: object) -> int:
    assert isinstance(value, int)
    return value
