"""The worked frames of notes §4.7, byte for byte, with the made-up key EXAMPLE1."""

from __future__ import annotations

import pytest

from opsuite.powerbank.devices import protocol as p

KEY = b"EXAMPLE1"


def h(text: str) -> bytes:
    return bytes.fromhex(text.replace(" ", "").replace("|", ""))


HEARTBEAT = h("00 07 61 02 00 D2 CE 89 3E")
LOGIN = h(
    "00 37 60 02 78 9C 80 FB 18 | 00 B4 FA AE | A0 A0 | 00 11 |"
    " 44 43 48 45 59 30 32 35 39 39 30 30 30 30 30 31 00 | 68 DD 3C CA | 04 | 01 |"
    " 01 44 43 48 41 54 00 00 31 64 10 0E 00 00 1E C0 64"
)
LOGIN_REPLY = h("00 10 60 02 00 7F 2F D7 32 01 1A 2B 3C 4D 68 DD 3D C9")
EJECT = h("00 08 65 01 03 BB 7D 33 5D 03")
EJECT_REPLY = h("00 14 65 02 6B C2 B3 B5 5C 03 01 44 43 48 41 54 00 00 32 01 00 00")
RETURN = h("00 18 66 02 0D 18 57 C1 6D 02 44 43 48 41 54 00 00 32 64 10 22 00 00 1D 48 64")
RETURN_REPLY = h("00 19 66 02 0C 92 95 28 ED 02 01 44 43 48 41 54 00 00 32 64 10 22 00 00 1D 48 64")

LOGIN_MESSAGE = p.Login(
    uptime_ms=0x00B4FAAE,
    box_id="DCHEY02599000001",
    timestamp=0x68DD3CCA,
    slots_num=4,
    records=(p.SlotRecord(1, "4443484154000031", 100, 4110, 0, 30, 0xC0, 100),),
)
RETURN_MESSAGE = p.Return(p.SlotRecord(2, "4443484154000032", 100, 4130, 0, 29, 0x48, 100))


def test_the_token_of_an_empty_payload_is_md5_of_the_key_at_bytes_15_11_7_3() -> None:
    assert p.token(b"", KEY) == h("D2 CE 89 3E")
    assert p.token(b"\x03", KEY) == h("BB 7D 33 5D")


@pytest.mark.parametrize(
    ("message", "wire"),
    [
        (p.Heartbeat(), HEARTBEAT),
        (LOGIN_MESSAGE, LOGIN),
        (p.LoginReply(result=1, nonce=0x1A2B3C4D, timestamp=0x68DD3DC9), LOGIN_REPLY),
        (p.Eject(3), EJECT),
        (p.EjectReply(3, 1, "4443484154000032", b"\x01\x00\x00"), EJECT_REPLY),
        (RETURN_MESSAGE, RETURN),
        (p.ReturnReply.answering(RETURN_MESSAGE, 1), RETURN_REPLY),
    ],
)
def test_worked_frames_encode_exactly(message: p.Message, wire: bytes) -> None:
    assert message.encode(KEY) == wire


@pytest.mark.parametrize(
    ("wire", "decode", "message"),
    [
        (HEARTBEAT, p.decode_from_cabinet, p.Heartbeat()),
        (LOGIN, p.decode_from_cabinet, LOGIN_MESSAGE),
        (LOGIN_REPLY, p.decode_from_server, p.LoginReply(1, 0x1A2B3C4D, 0x68DD3DC9)),
        (EJECT, p.decode_from_server, p.Eject(3)),
        (EJECT_REPLY, p.decode_from_cabinet, p.EjectReply(3, 1, "4443484154000032", b"\x01\x00\x00")),
        (RETURN, p.decode_from_cabinet, RETURN_MESSAGE),
        (RETURN_REPLY, p.decode_from_server, p.ReturnReply(2, 1, RETURN[10:])),
    ],
)
def test_worked_frames_decode_and_verify(wire: bytes, decode: object, message: p.Message) -> None:
    (frame,) = p.FrameDecoder().feed(wire)
    frame.verify(KEY)
    assert callable(decode)
    assert decode(frame) == message
    assert frame.encode() == wire


def test_the_login_frame_fields() -> None:
    (frame,) = p.FrameDecoder().feed(LOGIN)
    assert (frame.cmd, frame.vsn, frame.checksum, frame.token) == (0x60, 2, 0x78, h("9C 80 FB 18"))
    (record,) = p.Login.parse(frame.payload).records
    assert record.latched is True
    assert RETURN_MESSAGE.record.latched is False


def test_server_commands_carry_vsn_1_and_replies_to_heartbeat_login_and_return_vsn_2() -> None:
    assert [
        p.Eject(3).frame(KEY).vsn,
        p.InventoryRequest().frame(KEY).vsn,
        p.SlotAbnormalAck().frame(KEY).vsn,
    ] == [
        1,
        1,
        1,
    ]
    assert [LOGIN_REPLY[3], RETURN_REPLY[3], HEARTBEAT[3]] == [2, 2, 2]
    # The inventory request and the 0x83 ack carry the heartbeat's token: all three payloads are empty.
    assert p.InventoryRequest().encode(KEY) == h("00 07 64 01 00 D2 CE 89 3E")
    assert p.SlotAbnormalAck().encode(KEY) == h("00 07 83 01 00 D2 CE 89 3E")


def test_commands_without_worked_frames_have_the_layouts_of_the_table() -> None:
    address = p.ServerAddress("example.org", "9066", 30)
    assert address.payload() == h("00 0C") + b"example.org\x00" + h("00 05") + b"9066\x00" + h("1E")
    assert p.SetServerAddress("example.org", "9066", 30).payload() == address.payload()
    assert p.Iccid("89701010000000000001").payload() == h("00 14") + b"89701010000000000001"
    assert p.SetVolumeReply(1).encode(KEY)[2:5] == h("70 02 01")
    assert p.SetVolume(15).payload() == h("0F")
    assert p.Volume(2).payload() == h("02")
    assert p.ForceEjectReply(5, 1, "4443484154000035").payload() == h("05 01 44 43 48 41 54 00 00 35")
    assert p.SlotAbnormal(1, 4, "0000000000000000").payload() == h("01 04 00 00 00 00 00 00 00 00")
    assert p.Inventory(4).payload() == h("04 00")
