"""The incremental decoder and the message codecs: splits, coalesced reads, garbage, round trips."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opsuite.powerbank.devices import protocol as p

KEY = b"EXAMPLE1"
HEARTBEAT = bytes.fromhex("00 07 61 02 00 D2 CE 89 3E".replace(" ", ""))

u8 = st.integers(0, 255)
u16 = st.integers(0, 0xFFFF)
u32 = st.integers(0, 0xFFFFFFFF)
ident = st.binary(min_size=8, max_size=8).map(lambda raw: raw.hex().upper())
ascii_text = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=40)
records = st.builds(p.SlotRecord, u8, ident, u8, u16, u16, st.integers(-128, 127), u8, u8)
record_tuples = st.lists(records, max_size=8).map(tuple)

FROM_CABINET = st.one_of(
    st.builds(p.Login, u32, ascii_text, u32, u8, record_tuples),
    st.just(p.Heartbeat()),
    st.builds(p.Inventory, u8, record_tuples),
    st.builds(p.EjectReply, u8, u8, ident, st.binary(min_size=3, max_size=3)),
    st.builds(p.ForceEjectReply, u8, u8, ident),
    st.builds(p.Return, records),
    st.builds(p.SlotAbnormal, u8, u8, ident),
    st.just(p.RestartReply()),
    st.builds(p.Iccid, ascii_text),
    st.builds(p.ServerAddress, ascii_text, ascii_text, u8),
    st.just(p.SetServerAddressReply()),
    st.builds(p.Volume, u8),
    st.builds(p.SetVolumeReply, u8),
)
FROM_SERVER = st.one_of(
    st.builds(p.LoginReply, u8, u32, u32),
    st.just(p.Heartbeat()),
    st.just(p.InventoryRequest()),
    st.builds(p.Eject, u8),
    st.builds(p.ForceEject, u8),
    st.builds(p.ReturnReply, u8, u8, st.binary(min_size=16, max_size=16)),
    st.just(p.SlotAbnormalAck()),
    st.just(p.Restart()),
    st.just(p.IccidRequest()),
    st.just(p.ServerAddressRequest()),
    st.builds(p.SetServerAddress, ascii_text, ascii_text, u8),
    st.just(p.VolumeRequest()),
    st.builds(p.SetVolume, u8),
)


def feed_in_pieces(wire: bytes, cuts: list[int]) -> list[p.Frame]:
    decoder = p.FrameDecoder()
    frames: list[p.Frame] = []
    edges = [0, *sorted(set(cuts)), len(wire)]
    for start, end in itertools.pairwise(edges):
        frames.extend(decoder.feed(wire[start:end]))
    assert decoder.pending == 0
    return frames


@given(message=FROM_CABINET, key=st.binary(min_size=1, max_size=16))
def test_cabinet_messages_round_trip(message: p.Message, key: bytes) -> None:
    (frame,) = p.FrameDecoder().feed(message.encode(key))
    frame.verify(key)
    assert p.decode_from_cabinet(frame) == message


@given(message=FROM_SERVER, key=st.binary(min_size=1, max_size=16))
def test_server_messages_round_trip(message: p.Message, key: bytes) -> None:
    (frame,) = p.FrameDecoder().feed(message.encode(key))
    frame.verify(key)
    assert p.decode_from_server(frame) == message


@given(
    messages=st.lists(FROM_CABINET, min_size=1, max_size=5),
    cuts=st.lists(st.integers(0, 2000), max_size=12),
)
def test_a_stream_split_at_any_byte_boundaries_gives_back_the_same_frames(
    messages: list[p.Message], cuts: list[int]
) -> None:
    wire = b"".join(message.encode(KEY) for message in messages)
    frames = feed_in_pieces(wire, [cut for cut in cuts if cut < len(wire)])
    assert [p.decode_from_cabinet(frame) for frame in frames] == messages


def test_a_partial_frame_waits_for_the_rest() -> None:
    decoder = p.FrameDecoder()
    assert decoder.feed(HEARTBEAT[:1]) == []
    assert decoder.feed(HEARTBEAT[1:5]) == []
    assert decoder.pending == 5
    assert decoder.feed(HEARTBEAT[5:]) == [p.Frame(0x61, 2, 0, bytes.fromhex("D2CE893E"), b"")]
    assert decoder.pending == 0


def test_two_frames_in_one_read_as_captured_return_then_inventory() -> None:
    returned = p.Return(p.SlotRecord(2, "4443484154000032", 100, 4130, 0, 29, 0x48, 100))
    inventory = p.Inventory(4, (p.SlotRecord(2, "4443484154000032", 100, 4130, 0, 29, 0xC0, 100),))
    frames = p.FrameDecoder().feed(returned.encode(KEY) + inventory.encode(KEY) + HEARTBEAT[:3])
    assert [p.decode_from_cabinet(frame) for frame in frames] == [returned, inventory]


@pytest.mark.parametrize(
    "garbage",
    [
        bytes.fromhex("FFEDFFFD06"),  # telnet interrupt, seen on the port
        bytes.fromhex("FFF4FFFD06"),
        b"kjgh\r\n",
        bytes.fromhex("0006610200"),  # Len 6 < 7
        bytes.fromhex("0401"),  # Len 1025 > 1024
    ],
)
def test_garbage_lengths_raise_protocol_error(garbage: bytes) -> None:
    with pytest.raises(p.ProtocolError, match="frame length"):
        p.FrameDecoder().feed(garbage)


def test_the_largest_allowed_length_is_accepted() -> None:
    wire = b"\x04\x00" + bytes(1024)
    assert len(p.FrameDecoder().feed(wire)[0].payload) == 1024 - 7


def test_a_wrong_checksum_and_a_wrong_key_are_told_apart() -> None:
    frame = p.Eject(3).frame(KEY)
    with pytest.raises(p.ChecksumError, match="XOR 0x02 does not match"):
        p.Frame(frame.cmd, frame.vsn, 0x02, frame.token, frame.payload).verify(KEY)
    with pytest.raises(p.SignatureError, match="0x65: token not made"):
        frame.verify(b"EXAMPLE2")


@pytest.mark.parametrize(
    ("cmd", "payload", "error"),
    [
        (p.CMD_LOGIN, bytes.fromhex("00000001B0B0"), "login: wrong magic"),
        (p.CMD_LOGIN, bytes.fromhex("00000001A0A0000441424300"), "login: payload of 12 bytes is too short"),
        (p.CMD_LOGIN, bytes.fromhex("00000001A0A000044142430000000000040000"), "login: 1 unexpected bytes"),
        (p.CMD_LOGIN, bytes.fromhex("00000001A0A0000441424358"), "login: string not terminated by NUL"),
        (p.CMD_LOGIN, bytes.fromhex("00000001A0A00004FF424300"), "login: string is not ASCII"),
        (p.CMD_HEARTBEAT, b"\x00", "Heartbeat: 1 unexpected bytes"),
        (p.CMD_EJECT, bytes.fromhex("0301"), "eject reply: payload of 2 bytes is too short"),
        (p.CMD_INVENTORY, bytes.fromhex("0801"), "inventory: payload of 2 bytes is too short"),
        (p.CMD_ICCID, bytes.fromhex("0001FF"), "iccid: not ASCII"),
        (0x99, b"", "unknown command 0x99"),
    ],
)
def test_bad_layouts_raise_protocol_error(cmd: int, payload: bytes, error: str) -> None:
    with pytest.raises(p.ProtocolError, match=error):
        p.decode_from_cabinet(p.make_frame(cmd, payload, KEY))


def test_a_terminal_id_must_be_16_hex_digits() -> None:
    with pytest.raises(ValueError, match="16 hex digits"):
        p.SlotAbnormal(1, 1, "44434841").payload()
