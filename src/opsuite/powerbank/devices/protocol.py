"""The cabinets' binary TCP protocol (notes §4): framing, signatures, and one dataclass per message."""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import ClassVar, Self

HEADER_SIZE = 9
"""`Len u16 | Cmd | VSN | XOR | Token 4`; `Len` counts everything after itself."""
MIN_LEN = 7
MAX_LEN = 1024
"""Refused above this: the largest real frame (8-slot login, all full) is 176 bytes."""
RECORD_SIZE = 17
LOGIN_MAGIC = 0xA0A0

CMD_LOGIN = 0x60
CMD_HEARTBEAT = 0x61
CMD_SET_SERVER_ADDRESS = 0x63
CMD_INVENTORY = 0x64
CMD_EJECT = 0x65
CMD_RETURN = 0x66
CMD_RESTART = 0x67
CMD_ICCID = 0x69
CMD_SERVER_ADDRESS = 0x6A
CMD_SET_VOLUME = 0x70
CMD_VOLUME = 0x77
CMD_FORCE_EJECT = 0x80
CMD_SLOT_ABNORMAL = 0x83

VSN_CABINET = 2
"""Every captured cabinet frame carries 2; the server echoes 2 in heartbeat, login and return replies."""
VSN_SERVER = 1

RESULT_OK = 1
LATCHED = 0x80
"""Status b7, the insertion switch: a bank is lendable only while it is set."""


class ProtocolError(Exception):
    """Bytes that break the protocol: bad length, checksum, signature or layout."""


class ChecksumError(ProtocolError):
    """The XOR byte does not match the payload."""


class SignatureError(ProtocolError):
    """The token was not made with the station's key."""


def token(payload: bytes, key: bytes) -> bytes:
    """The frame signature: bytes 15, 11, 7 and 3 of md5(payload ‖ key)."""
    digest = hashlib.md5(payload + key, usedforsecurity=False).digest()
    return bytes((digest[15], digest[11], digest[7], digest[3]))


def xor(payload: bytes) -> int:
    """The XOR of the payload bytes (0 for an empty payload)."""
    value = 0
    for byte in payload:
        value ^= byte
    return value


@dataclass(frozen=True)
class Frame:
    """One frame as it travels, before its payload is read as a message."""

    cmd: int
    vsn: int
    checksum: int
    token: bytes
    payload: bytes

    def encode(self) -> bytes:
        """The frame's bytes on the wire."""
        head = struct.pack(">HBBB", MIN_LEN + len(self.payload), self.cmd, self.vsn, self.checksum)
        return head + self.token + self.payload

    def verify(self, key: bytes) -> None:
        """Raise ChecksumError or SignatureError unless the frame is intact and signed with `key`."""
        if self.checksum != xor(self.payload):
            raise ChecksumError(f"frame 0x{self.cmd:02X}: XOR 0x{self.checksum:02X} does not match")
        if self.token != token(self.payload, key):
            raise SignatureError(f"frame 0x{self.cmd:02X}: token not made with the station's key")


def make_frame(cmd: int, payload: bytes, key: bytes, *, vsn: int = VSN_CABINET) -> Frame:
    """A frame carrying `payload`, checksummed and signed with `key`."""
    return Frame(cmd=cmd, vsn=vsn, checksum=xor(payload), token=token(payload, key), payload=payload)


class FrameDecoder:
    """Cuts a byte stream into frames: keeps partial frames, yields several from one read."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[Frame]:
        """Add received bytes; return the frames now complete. ProtocolError on a length out of range."""
        self._buffer += data
        frames: list[Frame] = []
        while len(self._buffer) >= 2:
            (length,) = struct.unpack_from(">H", self._buffer)
            if not MIN_LEN <= length <= MAX_LEN:
                raise ProtocolError(f"frame length {length} outside {MIN_LEN}..{MAX_LEN}")
            if len(self._buffer) < 2 + length:
                break
            raw = bytes(self._buffer[: 2 + length])
            del self._buffer[: 2 + length]
            frames.append(Frame(raw[2], raw[3], raw[4], raw[5:HEADER_SIZE], raw[HEADER_SIZE:]))
        return frames

    @property
    def pending(self) -> int:
        """How many received bytes wait for the rest of their frame."""
        return len(self._buffer)


class _Reader:
    """Reads big-endian fields off a payload, raising ProtocolError on a short or long payload."""

    def __init__(self, payload: bytes, what: str) -> None:
        self._payload = payload
        self._offset = 0
        self._what = what

    def take(self, size: int) -> bytes:
        end = self._offset + size
        if end > len(self._payload):
            raise ProtocolError(f"{self._what}: payload of {len(self._payload)} bytes is too short")
        chunk = self._payload[self._offset : end]
        self._offset = end
        return chunk

    def u8(self) -> int:
        return self.take(1)[0]

    def u16(self) -> int:
        value: int = struct.unpack(">H", self.take(2))[0]
        return value

    def u32(self) -> int:
        value: int = struct.unpack(">I", self.take(4))[0]
        return value

    def text(self, size: int) -> str:
        """An ASCII string of `size` bytes that ends in NUL."""
        raw = self.take(size)
        if not raw.endswith(b"\x00"):
            raise ProtocolError(f"{self._what}: string not terminated by NUL")
        try:
            return raw[:-1].decode("ascii")
        except UnicodeDecodeError as error:
            raise ProtocolError(f"{self._what}: string is not ASCII") from error

    def end(self) -> None:
        if self._offset != len(self._payload):
            extra = len(self._payload) - self._offset
            raise ProtocolError(f"{self._what}: {extra} unexpected bytes after the payload")


def _text(value: str) -> bytes:
    """A length-prefixed, NUL-terminated ASCII string, the length counting the NUL."""
    raw = value.encode("ascii") + b"\x00"
    return struct.pack(">H", len(raw)) + raw


def _terminal_id(raw: bytes) -> str:
    return raw.hex().upper()


def _terminal_bytes(terminal_id: str) -> bytes:
    raw = bytes.fromhex(terminal_id)
    if len(raw) != 8:
        raise ValueError(f"terminal id must be 16 hex digits: {terminal_id!r}")
    return raw


@dataclass(frozen=True)
class SlotRecord:
    """One occupied slot as a cabinet reports it (17 bytes in login, inventory and return)."""

    slot: int
    powerbank_id: str
    """The bank's 8 ID bytes as 16 upper-case hex digits, e.g. `4443484154000031`."""
    level: int
    """Charge, %."""
    voltage_mv: int
    current_ma: int
    temperature_c: int
    status: int
    """Status bits (notes §4.3); b7 is the insertion switch."""
    soh: int
    """State of health, %."""

    @property
    def latched(self) -> bool:
        """Whether the insertion switch (b7) is set: only then may the bank be lent."""
        return bool(self.status & LATCHED)

    def encode(self) -> bytes:
        """The record's 17 bytes."""
        ident = _terminal_bytes(self.powerbank_id)
        return (
            bytes((self.slot,))
            + ident
            + struct.pack(
                ">BHHbBB",
                self.level,
                self.voltage_mv,
                self.current_ma,
                self.temperature_c,
                self.status,
                self.soh,
            )
        )

    @classmethod
    def read(cls, reader: _Reader) -> SlotRecord:
        """Read one record off a payload."""
        raw = reader.take(RECORD_SIZE)
        level, voltage, current, temperature, status, soh = struct.unpack(">BHHbBB", raw[9:])
        return cls(raw[0], _terminal_id(raw[1:9]), level, voltage, current, temperature, status, soh)


def _records(reader: _Reader, count: int) -> tuple[SlotRecord, ...]:
    return tuple(SlotRecord.read(reader) for _ in range(count))


class Message:
    """A typed payload; subclasses name their command and the VSN they are sent with."""

    CMD: ClassVar[int]
    VSN: ClassVar[int] = VSN_CABINET

    def payload(self) -> bytes:
        """The message's payload bytes."""
        return b""

    @classmethod
    def parse(cls, payload: bytes) -> Self:
        """Read the message from a payload (the empty default for messages without fields)."""
        _Reader(payload, cls.__name__).end()
        return cls()

    def frame(self, key: bytes) -> Frame:
        """The message as a frame signed with `key`."""
        return make_frame(self.CMD, self.payload(), key, vsn=self.VSN)

    def encode(self, key: bytes) -> bytes:
        """The message's bytes on the wire, signed with `key`."""
        return self.frame(key).encode()


# --- cabinet -> server ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Login(Message):
    """`0x60`: the first frame of every connection."""

    CMD: ClassVar[int] = CMD_LOGIN

    uptime_ms: int
    box_id: str
    timestamp: int
    """The time of the cabinet's previous login reply, replayed: never "now"."""
    slots_num: int
    records: tuple[SlotRecord, ...] = ()

    def payload(self) -> bytes:
        """Uptime, magic, box id, replayed time, slot count, records."""
        head = struct.pack(">IH", self.uptime_ms, LOGIN_MAGIC) + _text(self.box_id)
        body = struct.pack(">IBB", self.timestamp, self.slots_num, len(self.records))
        return head + body + b"".join(record.encode() for record in self.records)

    @classmethod
    def parse(cls, payload: bytes) -> Self:
        """Read a login; ProtocolError on a wrong magic or layout."""
        reader = _Reader(payload, "login")
        uptime = reader.u32()
        if reader.u16() != LOGIN_MAGIC:
            raise ProtocolError("login: wrong magic")
        box_id = reader.text(reader.u16())
        timestamp = reader.u32()
        slots_num = reader.u8()
        records = _records(reader, reader.u8())
        reader.end()
        return cls(uptime, box_id, timestamp, slots_num, records)


@dataclass(frozen=True)
class Heartbeat(Message):
    """`0x61`, empty both ways: the server echoes the cabinet's frame."""

    CMD: ClassVar[int] = CMD_HEARTBEAT


@dataclass(frozen=True)
class Inventory(Message):
    """`0x64` answer: the slot count and one record per occupied slot."""

    CMD: ClassVar[int] = CMD_INVENTORY

    slots_num: int
    records: tuple[SlotRecord, ...] = ()

    def payload(self) -> bytes:
        """Slot count, occupied count, records."""
        head = bytes((self.slots_num, len(self.records)))
        return head + b"".join(record.encode() for record in self.records)

    @classmethod
    def parse(cls, payload: bytes) -> Self:
        """Read an inventory answer."""
        reader = _Reader(payload, "inventory")
        slots_num = reader.u8()
        records = _records(reader, reader.u8())
        reader.end()
        return cls(slots_num, records)


@dataclass(frozen=True)
class EjectReply(Message):
    """`0x65` answer: result 1 means the bank left the slot."""

    CMD: ClassVar[int] = CMD_EJECT

    slot: int
    result: int
    powerbank_id: str
    tail: bytes = b"\x01\x00\x00"
    """Three bytes of unknown meaning (`01 00 00` or `01 01 00` in the capture), kept as received."""

    def payload(self) -> bytes:
        """Slot, result, terminal id, the three unknown bytes."""
        return bytes((self.slot, self.result)) + _terminal_bytes(self.powerbank_id) + self.tail

    @classmethod
    def parse(cls, payload: bytes) -> Self:
        """Read an eject answer."""
        reader = _Reader(payload, "eject reply")
        slot, result, ident = reader.u8(), reader.u8(), _terminal_id(reader.take(8))
        tail = reader.take(3)
        reader.end()
        return cls(slot, result, ident, tail)


@dataclass(frozen=True)
class ForceEjectReply(Message):
    """`0x80` answer: result 1 means the lock opened (the bank may stay in the slot, b7 clear)."""

    CMD: ClassVar[int] = CMD_FORCE_EJECT

    slot: int
    result: int
    powerbank_id: str

    def payload(self) -> bytes:
        """Slot, result, terminal id."""
        return bytes((self.slot, self.result)) + _terminal_bytes(self.powerbank_id)

    @classmethod
    def parse(cls, payload: bytes) -> Self:
        """Read a force-eject answer."""
        reader = _Reader(payload, "force eject reply")
        slot, result, ident = reader.u8(), reader.u8(), _terminal_id(reader.take(8))
        reader.end()
        return cls(slot, result, ident)


@dataclass(frozen=True)
class Return(Message):
    """`0x66`: a bank was pushed into a slot."""

    CMD: ClassVar[int] = CMD_RETURN

    record: SlotRecord

    def payload(self) -> bytes:
        """The slot record."""
        return self.record.encode()

    @classmethod
    def parse(cls, payload: bytes) -> Self:
        """Read a return report."""
        reader = _Reader(payload, "return")
        record = SlotRecord.read(reader)
        reader.end()
        return cls(record)


@dataclass(frozen=True)
class SlotAbnormal(Message):
    """`0x83`: event 1 a bank left without an unlock command, 2 a return was detected but no bank."""

    CMD: ClassVar[int] = CMD_SLOT_ABNORMAL

    event: int
    slot: int
    terminal_id: str
    """16 hex digits, zeros when the cabinet could not read the bank."""

    def payload(self) -> bytes:
        """Event, slot, terminal id."""
        return bytes((self.event, self.slot)) + _terminal_bytes(self.terminal_id)

    @classmethod
    def parse(cls, payload: bytes) -> Self:
        """Read a slot-abnormal report."""
        reader = _Reader(payload, "slot abnormal")
        event, slot, ident = reader.u8(), reader.u8(), _terminal_id(reader.take(8))
        reader.end()
        return cls(event, slot, ident)


@dataclass(frozen=True)
class RestartReply(Message):
    """`0x67` answer, empty."""

    CMD: ClassVar[int] = CMD_RESTART


@dataclass(frozen=True)
class Iccid(Message):
    """`0x69` answer: the SIM card's ICCID."""

    CMD: ClassVar[int] = CMD_ICCID

    iccid: str

    def payload(self) -> bytes:
        """Length, ASCII."""
        raw = self.iccid.encode("ascii")
        return struct.pack(">H", len(raw)) + raw

    @classmethod
    def parse(cls, payload: bytes) -> Self:
        """Read an ICCID answer."""
        reader = _Reader(payload, "iccid")
        raw = reader.take(reader.u16())
        reader.end()
        try:
            return cls(raw.decode("ascii"))
        except UnicodeDecodeError as error:
            raise ProtocolError("iccid: not ASCII") from error


@dataclass(frozen=True)
class ServerAddress(Message):
    """`0x6A` answer, and the `0x63` request: where the cabinet dials and its heartbeat period."""

    CMD: ClassVar[int] = CMD_SERVER_ADDRESS

    address: str
    port: str
    """ASCII on the wire (`"9066"`), kept as text."""
    heartbeat_s: int

    def payload(self) -> bytes:
        """Address, port, heartbeat seconds."""
        return _text(self.address) + _text(self.port) + bytes((self.heartbeat_s,))

    @classmethod
    def parse(cls, payload: bytes) -> Self:
        """Read a server address."""
        reader = _Reader(payload, "server address")
        address = reader.text(reader.u16())
        port = reader.text(reader.u16())
        heartbeat = reader.u8()
        reader.end()
        return cls(address, port, heartbeat)


@dataclass(frozen=True)
class SetServerAddressReply(Message):
    """`0x63` answer, empty."""

    CMD: ClassVar[int] = CMD_SET_SERVER_ADDRESS


@dataclass(frozen=True)
class Volume(Message):
    """`0x77` answer: the voice volume level, 0..15."""

    CMD: ClassVar[int] = CMD_VOLUME

    level: int

    def payload(self) -> bytes:
        """The level."""
        return bytes((self.level,))

    @classmethod
    def parse(cls, payload: bytes) -> Self:
        """Read a volume answer."""
        reader = _Reader(payload, "volume")
        level = reader.u8()
        reader.end()
        return cls(level)


@dataclass(frozen=True)
class SetVolumeReply(Message):
    """`0x70` answer: a result byte (the original expected none and rejected every real answer)."""

    CMD: ClassVar[int] = CMD_SET_VOLUME

    result: int

    def payload(self) -> bytes:
        """The result."""
        return bytes((self.result,))

    @classmethod
    def parse(cls, payload: bytes) -> Self:
        """Read a set-volume answer."""
        reader = _Reader(payload, "set volume reply")
        result = reader.u8()
        reader.end()
        return cls(result)


# --- server -> cabinet ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginReply(Message):
    """`0x60` reply: result 1, a random nonce, the server's UTC time."""

    CMD: ClassVar[int] = CMD_LOGIN

    result: int
    nonce: int
    timestamp: int

    def payload(self) -> bytes:
        """Result, nonce, time."""
        return struct.pack(">BII", self.result, self.nonce, self.timestamp)

    @classmethod
    def parse(cls, payload: bytes) -> Self:
        """Read a login reply."""
        reader = _Reader(payload, "login reply")
        result, nonce, timestamp = reader.u8(), reader.u32(), reader.u32()
        reader.end()
        return cls(result, nonce, timestamp)


@dataclass(frozen=True)
class InventoryRequest(Message):
    """`0x64` request, empty."""

    CMD: ClassVar[int] = CMD_INVENTORY
    VSN: ClassVar[int] = VSN_SERVER


@dataclass(frozen=True)
class _SlotCommand(Message):
    VSN: ClassVar[int] = VSN_SERVER

    slot: int

    def payload(self) -> bytes:
        """The slot."""
        return bytes((self.slot,))

    @classmethod
    def parse(cls, payload: bytes) -> Self:
        """Read a one-slot command."""
        reader = _Reader(payload, cls.__name__)
        slot = reader.u8()
        reader.end()
        return cls(slot)


@dataclass(frozen=True)
class Eject(_SlotCommand):
    """`0x65` request: release the bank of `slot`."""

    CMD: ClassVar[int] = CMD_EJECT


@dataclass(frozen=True)
class ForceEject(_SlotCommand):
    """`0x80` request: open the lock of `slot` whatever it holds."""

    CMD: ClassVar[int] = CMD_FORCE_EJECT


@dataclass(frozen=True)
class ReturnReply(Message):
    """`0x66` reply: slot, result, then bytes 1..16 of the received record echoed raw."""

    CMD: ClassVar[int] = CMD_RETURN

    slot: int
    result: int
    echo: bytes = field(default=b"\x00" * (RECORD_SIZE - 1))

    def payload(self) -> bytes:
        """Slot, result, the echoed record bytes."""
        return bytes((self.slot, self.result)) + self.echo

    @classmethod
    def parse(cls, payload: bytes) -> Self:
        """Read a return reply."""
        reader = _Reader(payload, "return reply")
        slot, result, echo = reader.u8(), reader.u8(), reader.take(RECORD_SIZE - 1)
        reader.end()
        return cls(slot, result, echo)

    @classmethod
    def answering(cls, report: Return, result: int) -> ReturnReply:
        """The reply to `report`, echoing its record."""
        return cls(report.record.slot, result, report.record.encode()[1:])


@dataclass(frozen=True)
class SlotAbnormalAck(Message):
    """`0x83` acknowledgement, empty."""

    CMD: ClassVar[int] = CMD_SLOT_ABNORMAL
    VSN: ClassVar[int] = VSN_SERVER


@dataclass(frozen=True)
class Restart(Message):
    """`0x67` request, empty."""

    CMD: ClassVar[int] = CMD_RESTART
    VSN: ClassVar[int] = VSN_SERVER


@dataclass(frozen=True)
class IccidRequest(Message):
    """`0x69` request, empty."""

    CMD: ClassVar[int] = CMD_ICCID
    VSN: ClassVar[int] = VSN_SERVER


@dataclass(frozen=True)
class ServerAddressRequest(Message):
    """`0x6A` request, empty."""

    CMD: ClassVar[int] = CMD_SERVER_ADDRESS
    VSN: ClassVar[int] = VSN_SERVER


@dataclass(frozen=True)
class SetServerAddress(ServerAddress):
    """`0x63` request, laid out as the `0x6A` answer."""

    CMD: ClassVar[int] = CMD_SET_SERVER_ADDRESS
    VSN: ClassVar[int] = VSN_SERVER


@dataclass(frozen=True)
class VolumeRequest(Message):
    """`0x77` request, empty."""

    CMD: ClassVar[int] = CMD_VOLUME
    VSN: ClassVar[int] = VSN_SERVER


@dataclass(frozen=True)
class SetVolume(Message):
    """`0x70` request: the new level, 0..15."""

    CMD: ClassVar[int] = CMD_SET_VOLUME
    VSN: ClassVar[int] = VSN_SERVER

    level: int

    def payload(self) -> bytes:
        """The level."""
        return bytes((self.level,))

    @classmethod
    def parse(cls, payload: bytes) -> Self:
        """Read a set-volume request."""
        reader = _Reader(payload, "set volume")
        level = reader.u8()
        reader.end()
        return cls(level)


def _by_command(kinds: Iterable[type[Message]]) -> dict[int, Callable[[bytes], Message]]:
    return {kind.CMD: kind.parse for kind in kinds}


FROM_CABINET = _by_command(
    (
        Login,
        Heartbeat,
        Inventory,
        EjectReply,
        ForceEjectReply,
        Return,
        SlotAbnormal,
        RestartReply,
        Iccid,
        ServerAddress,
        SetServerAddressReply,
        Volume,
        SetVolumeReply,
    )
)
FROM_SERVER = _by_command(
    (
        LoginReply,
        Heartbeat,
        InventoryRequest,
        Eject,
        ForceEject,
        ReturnReply,
        SlotAbnormalAck,
        Restart,
        IccidRequest,
        ServerAddressRequest,
        SetServerAddress,
        VolumeRequest,
        SetVolume,
    )
)


def _decode(frame: Frame, kinds: dict[int, Callable[[bytes], Message]]) -> Message:
    parse = kinds.get(frame.cmd)
    if parse is None:
        raise ProtocolError(f"unknown command 0x{frame.cmd:02X}")
    return parse(frame.payload)


def decode_from_cabinet(frame: Frame) -> Message:
    """Read a frame a cabinet sent as its typed message (the signature is checked apart, by `verify`)."""
    return _decode(frame, FROM_CABINET)


def decode_from_server(frame: Frame) -> Message:
    """Read a frame the server sent as its typed message."""
    return _decode(frame, FROM_SERVER)
