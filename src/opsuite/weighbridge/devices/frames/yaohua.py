"""Yaohua XK3190 (A9, A9+, A12, A26) continuous output: the 12-byte STX frame and the "=" frames.

STX frame (tF=0), byte by byte: 02h; sign `+` or `-`; six weight digits, high to low; one digit, the
number of decimal places; two ASCII hex characters (upper case) of the XOR of the eight bytes from the
sign to the decimals digit, high nibble first; 03h. No stability flag.

"=" frames: `=` and eight characters. Format 1 (reversed) holds the displayed value least significant
first with the decimal point in place, the sign (`0` or `-`) last: 3.000 is `=000.3000`, -1.00 is
`=00.1000-`. Format 2 holds the same eight characters in reading order, sign first. No stability flag.
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
ETX = 0x03
STX_LENGTH = 12
EQUALS_LENGTH = 9
_STX_DIGITS = 6
_EQUALS_FIELD = 8


def xor_check(body: bytes) -> bytes:
    """The two ASCII hex characters of the XOR of `body`, high nibble first."""
    value = 0
    for byte in body:
        value ^= byte
    return f"{value:02X}".encode()


class YaohuaStxParser(FixedFrameParser):
    """Yaohua tF=0 continuous output: STX, sign, 6 digits, decimals, XOR, ETX."""

    def __init__(self) -> None:
        super().__init__(re.compile(b"\x02"), STX_LENGTH)

    def parse(self, frame: bytes) -> Weighed:
        """The weight in one 12-byte frame."""
        if len(frame) != STX_LENGTH or frame[0] != STX or frame[-1] != ETX:
            raise FrameError("not a 12-byte STX..ETX frame")
        body = frame[1:9]
        if frame[9:11] != xor_check(body):
            raise FrameError(f"XOR check {frame[9:11]!r} does not match {xor_check(body)!r}")
        sign = body[:1]
        if sign not in (b"+", b"-"):
            raise FrameError(f"sign byte {sign!r}")
        value = digits_value(body[1:7], what="weight")
        decimals = digits_value(body[7:8], what="decimals")
        return Weighed(signed(value / 10**decimals, negative=sign == b"-"), None)


def encode_stx(kg: float, *, decimals: int = 0) -> bytes:
    """The 12-byte STX frame an indicator sends for `kg` shown with `decimals` places."""
    digits = decimal_text(kg, decimals).replace(".", "").rjust(_STX_DIGITS, "0")
    if len(digits) > _STX_DIGITS or not 0 <= decimals <= 9:
        raise ValueError(f"{kg} with {decimals} decimals does not fit six digits")
    body = (b"-" if kg < 0 else b"+") + digits.encode() + str(decimals).encode()
    return bytes([STX]) + body + xor_check(body) + bytes([ETX])


class YaohuaEqualsParser(FixedFrameParser):
    """Yaohua "=" output: format 1 (`reversed_digits=True`, least significant first) or format 2."""

    def __init__(self, *, reversed_digits: bool = True) -> None:
        super().__init__(re.compile(b"="), EQUALS_LENGTH)
        self._reversed = reversed_digits

    def parse(self, frame: bytes) -> Weighed:
        """The weight in one `=` frame."""
        if len(frame) != EQUALS_LENGTH or frame[:1] != b"=":
            raise FrameError("not a 9-byte '=' frame")
        field = frame[1:][::-1] if self._reversed else frame[1:]
        sign, shown = field[:1], field[1:]
        if sign not in (b"0", b"-"):
            raise FrameError(f"sign character {sign!r}")
        whole, point, fraction = shown.partition(b".")
        if not (whole + fraction).isdigit() or b"." in fraction:
            raise FrameError(f"displayed value {shown!r}")
        kg = int(whole + fraction) / 10 ** len(fraction) if point else float(int(whole))
        return Weighed(signed(kg, negative=sign == b"-"), None)


def encode_equals(kg: float, *, decimals: int = 0, reversed_digits: bool = True) -> bytes:
    """The 9-byte `=` frame for `kg` shown with `decimals` places (format 1 when reversed)."""
    shown = decimal_text(kg, decimals).rjust(_EQUALS_FIELD - 1, "0")
    if len(shown) > _EQUALS_FIELD - 1:
        raise ValueError(f"{kg} with {decimals} decimals does not fit seven characters")
    field = ("-" if kg < 0 else "0") + shown
    return b"=" + (field[::-1] if reversed_digits else field).encode()
