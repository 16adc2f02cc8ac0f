"""A cabinet's slot table and settings, and the answers they give: shared by the simulator and the fake."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace

from opsuite.powerbank.devices import protocol as p

NO_BANK = "0" * 16


@dataclass(frozen=True)
class Bank:
    """A power bank as a cabinet reads it."""

    powerbank_id: str
    level: int = 100
    voltage_mv: int = 4110
    current_ma: int = 0
    temperature_c: int = 30
    status: int = 0xC0
    soh: int = 100

    def record(self, slot: int) -> p.SlotRecord:
        """The bank's 17-byte record in `slot`."""
        return p.SlotRecord(slot=slot, **asdict(self))


def banks_from(banks: Mapping[int, Bank | str] | None) -> dict[int, Bank]:
    """A slot table from banks or bare 16-hex ids."""
    return {slot: Bank(bank) if isinstance(bank, str) else bank for slot, bank in (banks or {}).items()}


@dataclass
class CabinetState:
    """What a cabinet holds and answers: eject releases a bank, force eject unlatches it, jams refuse."""

    slots_num: int = 8
    banks: dict[int, Bank] = field(default_factory=dict)
    jammed: set[int] = field(default_factory=set)
    volume: int = 2
    iccid: str = "89701010000000000001"
    address: p.ServerAddress = field(default_factory=lambda: p.ServerAddress("127.0.0.1", "9066", 30))

    def records(self) -> tuple[p.SlotRecord, ...]:
        """One record per occupied slot, in slot order."""
        return tuple(bank.record(slot) for slot, bank in sorted(self.banks.items()))

    def reply(self, request: p.Message) -> p.Message:
        """The answer to a server command, changing the state as the command does."""
        if isinstance(request, p.InventoryRequest):
            return p.Inventory(self.slots_num, self.records())
        if isinstance(request, p.Eject):
            return self._eject(request.slot)
        if isinstance(request, p.ForceEject):
            return self._force_eject(request.slot)
        if isinstance(request, p.SetServerAddress):
            self.address = p.ServerAddress(request.address, request.port, request.heartbeat_s)
            return p.SetServerAddressReply()
        if isinstance(request, p.SetVolume):
            self.volume = request.level
            return p.SetVolumeReply(p.RESULT_OK)
        answers: dict[type[p.Message], p.Message] = {
            p.Restart: p.RestartReply(),
            p.IccidRequest: p.Iccid(self.iccid),
            p.ServerAddressRequest: self.address,
            p.VolumeRequest: p.Volume(self.volume),
        }
        return answers[type(request)]

    def _eject(self, slot: int) -> p.EjectReply:
        bank = self.banks.get(slot)
        if bank is None:
            return p.EjectReply(slot, 0, NO_BANK)
        if slot in self.jammed:
            return p.EjectReply(slot, 0, bank.powerbank_id)
        del self.banks[slot]
        return p.EjectReply(slot, p.RESULT_OK, bank.powerbank_id)

    def _force_eject(self, slot: int) -> p.ForceEjectReply:
        bank = self.banks.get(slot)
        ident = bank.powerbank_id if bank is not None else NO_BANK
        if slot in self.jammed:
            return p.ForceEjectReply(slot, 0, ident)
        if bank is not None:
            # The lock opens but the bank stays, unlatched, until someone takes it.
            self.banks[slot] = replace(bank, status=bank.status & ~p.LATCHED)
        return p.ForceEjectReply(slot, p.RESULT_OK, ident)
