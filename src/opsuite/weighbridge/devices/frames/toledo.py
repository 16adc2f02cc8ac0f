"""Mettler-Toledo standard continuous output (IND, Jaguar, Lynx, Wildcat and their clones).

Byte by byte: 02h; status words SWA, SWB, SWC (bit 5 always set); six digits of displayed weight, no
point; six digits of tare; 0Dh; optionally a checksum, the two's complement of the low seven bits of
the sum of all the bytes before it. SWA bits 0-2 place the decimal point (0: x100, 1: x10, 2: x1,
3: /10 ... 7: /100000). SWB: bit 0 net, bit 1 negative, bit 2 over or under range, bit 3 motion,
bit 4 kilograms (clear: pounds).
"""

from __future__ import annotations

import re

from opsuite.weighbridge.devices.frames.base import (
    FixedFrameParser,
    FrameError,
    Weighed,
    decimal_text,
    digits_value,
    signed,
)

STX = 0x02
CR = 0x0D
LENGTH = 17
_ALWAYS_SET = 0x20
_POINT_MASK = 0x07
_NO_POINT = 2
_NET = 0x01
_NEGATIVE = 0x02
_RANGE = 0x04
_MOTION = 0x08
_KG = 0x10
_INCREMENT_ONE = 0x08
_LB_IN_KG = 0.45359237


def checksum(data: bytes) -> int:
    """The byte that makes the low seven bits of the frame's sum zero."""
    return -sum(data) & 0x7F


def _scaled(value: int, code: int) -> float:
    if code < _NO_POINT:
        return float(value * 10 ** (_NO_POINT - code))
    return value / 10.0 ** (code - _NO_POINT)


class ToledoParser(FixedFrameParser):
    """Toledo continuous output; `with_checksum` when the indicator appends the checksum byte."""

    def __init__(self, *, with_checksum: bool = False) -> None:
        self._with_checksum = with_checksum
        super().__init__(re.compile(b"\x02"), LENGTH + with_checksum)

    def parse(self, frame: bytes) -> Weighed:
        """The weight in one frame; the motion bit gives stability."""
        if len(frame) != LENGTH + self._with_checksum or frame[0] != STX or frame[LENGTH - 1] != CR:
            raise FrameError("not an STX..CR Toledo frame")
        if self._with_checksum and frame[-1] != checksum(frame[:-1]):
            raise FrameError(f"checksum {frame[-1]:#04x}, expected {checksum(frame[:-1]):#04x}")
        swa, swb, swc = frame[1], frame[2], frame[3]
        if not swa & swb & swc & _ALWAYS_SET:
            raise FrameError("status words lack their always-set bit")
        if swb & _RANGE:
            raise FrameError("indicator over or under range")
        value = _scaled(digits_value(frame[4:10], what="weight"), swa & _POINT_MASK)
        digits_value(frame[10:16], what="tare")
        kg = value if swb & _KG else value * _LB_IN_KG
        return Weighed(signed(kg, negative=bool(swb & _NEGATIVE)), not swb & _MOTION)


def encode_toledo(
    kg: float,
    *,
    stable: bool = True,
    decimals: int = 0,
    tare_kg: float = 0.0,
    with_checksum: bool = False,
) -> bytes:
    """The frame a Toledo indicator sends for `kg` (in kilograms) shown with `decimals` places."""
    if not 0 <= decimals <= _POINT_MASK - _NO_POINT:
        raise ValueError(f"decimals {decimals} out of range")
    weight = decimal_text(kg, decimals).replace(".", "").rjust(6, "0")
    tare = decimal_text(tare_kg, decimals).replace(".", "").rjust(6, "0")
    if len(weight) > 6 or len(tare) > 6:
        raise ValueError(f"{kg} or tare {tare_kg} does not fit six digits")
    swa = _ALWAYS_SET | _INCREMENT_ONE | (decimals + _NO_POINT)
    swb = (
        _ALWAYS_SET
        | _KG
        | (_NEGATIVE if kg < 0 else 0)
        | (0 if stable else _MOTION)
        | (_NET if tare_kg else 0)
    )
    frame = bytes([STX, swa, swb, _ALWAYS_SET]) + weight.encode() + tare.encode() + bytes([CR])
    return frame + bytes([checksum(frame)]) if with_checksum else frame
