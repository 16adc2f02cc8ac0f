"""Each frame family byte by byte, with the exact weights the notes give, and the streams met in the field."""

from __future__ import annotations

import pytest

from opsuite.weighbridge.devices.frames.base import FrameError, Weighed
from opsuite.weighbridge.devices.frames.cas import CasParser
from opsuite.weighbridge.devices.frames.formats import FORMATS, FrameFormat, encoder_for, parser_for
from opsuite.weighbridge.devices.frames.regex import A9_PLUS_PATTERN, RegexParser
from opsuite.weighbridge.devices.frames.toledo import ToledoParser, checksum
from opsuite.weighbridge.devices.frames.yaohua import YaohuaEqualsParser, YaohuaStxParser, xor_check

# STX, sign, six digits, decimals digit, XOR of the eight bytes as two upper-case hex characters, ETX.
STX_24500 = b"\x02+0245000" + b"18" + b"\x03"


def test_yaohua_xor_is_computed_over_sign_to_decimals() -> None:
    # 2B^30^32^34^35^30^30^30 = 18
    assert xor_check(b"+0245000") == b"18"
    # 2D^30^30^31^32^35^30^32 = 19
    assert xor_check(b"-0012502") == b"19"


@pytest.mark.parametrize(
    ("frame", "kg"),
    [
        (STX_24500, 24500.0),
        (b"\x02-0012502" + xor_check(b"-0012502") + b"\x03", -12.5),  # 001250 with 2 decimals
        (b"\x02+2450511" + xor_check(b"+2450511") + b"\x03", 24505.1),
        (b"\x02-0000000" + xor_check(b"-0000000") + b"\x03", 0.0),
    ],
)
def test_yaohua_stx_frames(frame: bytes, kg: float) -> None:
    assert YaohuaStxParser().parse(frame) == Weighed(kg, None)


@pytest.mark.parametrize(
    ("frame", "reason"),
    [
        (b"\x02+0245000" + b"19" + b"\x03", "XOR check"),
        (b"\x02*0245000" + xor_check(b"*0245000") + b"\x03", "sign byte"),
        (b"\x02+02A5000" + xor_check(b"+02A5000") + b"\x03", "weight is not digits"),
        (b"\x02+0245000" + b"18" + b"\x04", "not a 12-byte"),
    ],
)
def test_yaohua_stx_rejects(frame: bytes, reason: str) -> None:
    with pytest.raises(FrameError, match=reason):
        YaohuaStxParser().parse(frame)


@pytest.mark.parametrize(
    ("frame", "kg"),
    [
        (b"=000.3000", 3.0),  # the manual's 3.000
        (b"=00.1000-", -1.0),  # the manual's -1.00
        (b"=00542000", 24500.0),
        (b"=5.005420", 24500.5),
    ],
)
def test_yaohua_equals_reversed(frame: bytes, kg: float) -> None:
    assert YaohuaEqualsParser().parse(frame) == Weighed(kg, None)


def test_yaohua_equals_forward_has_the_sign_first() -> None:
    parser = YaohuaEqualsParser(reversed_digits=False)
    assert parser.parse(b"=-0001.00") == Weighed(-1.0, None)
    assert parser.parse(b"=00024500") == Weighed(24500.0, None)
    with pytest.raises(FrameError, match="sign character"):
        parser.parse(b"=+0024500")


def toledo(swa: int, swb: int, weight: bytes, tare: bytes = b"000000") -> bytes:
    return bytes([0x02, swa, swb, 0x20]) + weight + tare + b"\r"


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        (toledo(0x22, 0x30, b"024500"), Weighed(24500.0, True)),  # SWB 0011 0000: kg, still
        (toledo(0x22, 0x38, b"024500"), Weighed(24500.0, False)),  # bit 3: motion
        (toledo(0x22, 0x32, b"000120"), Weighed(-120.0, True)),  # bit 1: negative
        (toledo(0x23, 0x30, b"245005"), Weighed(24500.5, True)),  # SWA code 3: one decimal
        (toledo(0x21, 0x30, b"002450"), Weighed(24500.0, True)),  # SWA code 1: x10
        (toledo(0x22, 0x20, b"001000"), Weighed(453.59237, True)),  # bit 4 clear: pounds
        (toledo(0x22, 0x31, b"  1500", b"008000"), Weighed(1500.0, True)),  # net, blanked zeros
    ],
)
def test_toledo_frames(frame: bytes, expected: Weighed) -> None:
    assert ToledoParser().parse(frame) == expected


def test_toledo_checksum_is_twos_complement_of_the_low_seven_bits() -> None:
    frame = toledo(0x22, 0x30, b"024500")
    assert (sum(frame) + checksum(frame)) & 0x7F == 0
    parser = ToledoParser(with_checksum=True)
    assert parser.parse(frame + bytes([checksum(frame)])) == Weighed(24500.0, True)
    with pytest.raises(FrameError, match="checksum"):
        parser.parse(frame + bytes([(checksum(frame) + 1) & 0x7F]))


@pytest.mark.parametrize(
    ("frame", "reason"),
    [
        (toledo(0x22, 0x34, b"024500"), "over or under range"),
        (toledo(0x02, 0x30, b"024500"), "always-set bit"),
        (toledo(0x22, 0x30, b"02450x"), "weight is not digits"),
    ],
)
def test_toledo_rejects(frame: bytes, reason: str) -> None:
    with pytest.raises(FrameError, match=reason):
        ToledoParser().parse(frame)


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        (b"ST,GS,\x01\x60,+24500.0 kg\r\n", Weighed(24500.0, True)),
        (b"US,GS,\x01\x20,+0024480 kg\r\n", Weighed(24480.0, False)),
        (b"ST,NT,\x01\x60,-  120.5 kg\r\n", Weighed(-120.5, True)),
        (b"ST,GS,\r\n,    2450 kg\r\n", Weighed(2450.0, True)),  # id and lamp bytes may be anything
    ],
)
def test_cas_frames(frame: bytes, expected: Weighed) -> None:
    assert len(frame) == 22
    assert CasParser().parse(frame) == expected


def test_cas_overload_and_bad_unit_are_refused() -> None:
    with pytest.raises(FrameError, match="overload"):
        CasParser().parse(b"OL,GS,\x01\x20,         kg\r\n")
    with pytest.raises(FrameError, match="unit"):
        CasParser().parse(b"ST,GS,\x01\x60,+24500.0 lb\r\n")


def test_regex_a9_plus_field_frame_in_tenths() -> None:
    parser = RegexParser(A9_PLUS_PATTERN, scale=0.1)
    assert parser.parse(b"\t+0245005\x12\r") == Weighed(24500.5, None)
    assert parser.parse(b"\t-0000030\x12\r") == Weighed(-3.0, None)


def test_regex_stable_and_motion_groups() -> None:
    stable = RegexParser(rb"(?P<stable>S)?[GN]:(?P<weight>[ +-]*\d+(?:\.\d+)?)kg\r\n")
    assert stable.feed(b"SG:  24500kg\r\nG:24510.5kg\r\n") == [
        Weighed(24500.0, True),
        Weighed(24510.5, False),
    ]
    motion = RegexParser(rb"\x02(?P<sign>[+-])(?P<weight>\d{7})(?P<motion>M)?\x03")
    assert motion.feed(b"\x02-0001200M\x03\x02+0024500\x03") == [
        Weighed(-1200.0, False),
        Weighed(24500.0, True),
    ]


def test_regex_pattern_needs_a_weight_group() -> None:
    with pytest.raises(ValueError, match="'weight'"):
        RegexParser(rb"\d+\r")


def test_stream_split_into_single_bytes_with_noise_and_a_bad_frame() -> None:
    parser = YaohuaStxParser()
    bad = b"\x02+0245000" + b"99" + b"\x03"
    stream = b"\xff\x00garbage" + STX_24500[:5] + bad + STX_24500 + b"\x02+02" + STX_24500
    found = [weighed for byte in stream for weighed in parser.feed(bytes([byte]))]
    assert found == [Weighed(24500.0, None), Weighed(24500.0, None)]
    # The truncated frame and the bad XOR were candidates; the half frame before `bad` was one too.
    assert parser.rejected == 3


def test_a_frame_hidden_inside_a_rejected_candidate_is_found() -> None:
    parser = YaohuaStxParser()
    assert parser.feed(b"\x02" + STX_24500) == [Weighed(24500.0, None)]
    assert parser.rejected == 1


def test_reset_forgets_a_half_frame() -> None:
    parser = ToledoParser()
    parser.feed(toledo(0x22, 0x30, b"024500")[:9])
    parser.reset()
    assert parser.feed(toledo(0x22, 0x30, b"024500")[9:]) == []


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_decodes_what_its_simulator_encodes(name: FrameFormat) -> None:
    encode = encoder_for(name, decimals=1)
    stream = encode(24500.5, True) + b"\x00noise\xff" + encode(-12.5, False)
    expected_flags = (True, False) if name in ("toledo", "toledo_checksum", "cas") else (None, None)
    assert parser_for(name).feed(stream) == [
        Weighed(24500.5, expected_flags[0]),
        Weighed(-12.5, expected_flags[1]),
    ]
