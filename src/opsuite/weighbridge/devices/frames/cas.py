"""CAS indicators (CI and NT series), the 22-byte frame.

Byte by byte: `ST` (stable), `US` (unstable) or `OL` (overload); `,`; `GS` (gross) or `NT` (net); `,`;
a device-id byte; a lamp-status byte; `,`; eight characters of weight (sign, digits, optional point,
blanks for leading zeros); a space; `kg`; CR LF.
"""

from __future__ import annotations

import re

from opsuite.weighbridge.devices.frames.base import (
    FixedFrameParser,
    FrameError,
    Weighed,
    decimal_text,
    signed,
)

LENGTH = 22
_HEADER = re.compile(rb"(?:ST|US|OL),(?:GS|NT),")
_WEIGHT = re.compile(rb" *([+-]?) *(\d+(?:\.\d+)?)")
_LAMP_STABLE = 0x40


class CasParser(FixedFrameParser):
    """CAS 22-byte frames; ST/US give stability, OL is refused."""

    def __init__(self) -> None:
        super().__init__(_HEADER, LENGTH)

    def parse(self, frame: bytes) -> Weighed:
        """The weight in one 22-byte frame."""
        if len(frame) != LENGTH or _HEADER.match(frame) is None:
            raise FrameError("not a CAS frame header")
        if frame[8:9] != b"," or frame[17:] != b" kg\r\n":
            raise FrameError("CAS frame separators or unit")
        if frame[:2] == b"OL":
            raise FrameError("indicator overload")
        weight = _WEIGHT.fullmatch(frame[9:17])
        if weight is None:
            raise FrameError(f"weight field {frame[9:17]!r}")
        return Weighed(signed(float(weight[2]), negative=weight[1] == b"-"), frame[:2] == b"ST")


def encode_cas(
    kg: float, *, stable: bool = True, decimals: int = 0, device_id: int = 1, net: bool = False
) -> bytes:
    """The 22-byte frame a CAS indicator sends for `kg` shown with `decimals` places."""
    shown = decimal_text(kg, decimals).rjust(7, "0")
    if len(shown) > 7:
        raise ValueError(f"{kg} with {decimals} decimals does not fit seven characters")
    lamp = 0x20 | (_LAMP_STABLE if stable else 0)
    head = (b"ST" if stable else b"US") + b"," + (b"NT" if net else b"GS") + b","
    weight = ("-" if kg < 0 else "+") + shown
    return head + bytes([device_id, lamp]) + b"," + weight.encode() + b" kg\r\n"
