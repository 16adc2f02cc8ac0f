"""A configurable frame: a regular expression over the byte stream, for indicators the built-in families miss.

The pattern must capture the weight in a group named `weight` (digits, optional point, optional sign)
and should include the frame's delimiters, so a frame cut short at the end of a read never matches.
Optional groups: `sign` (`-` makes it negative), `stable` (matched: stable) or `motion` (matched:
moving). Without either, the format carries no stability flag. `scale` turns the number into
kilograms, e.g. 0.1 for a weight sent in tenths of a kilogram.
"""

from __future__ import annotations

import re
from decimal import Decimal

from opsuite.weighbridge.devices.frames.base import FrameError, Weighed, signed

_NUMBER = re.compile(rb"\s*([+-]?)\s*(\d+(?:\.\d*)?|\.\d+)\s*")


class RegexParser:
    """Frames found by a pattern with a named `weight` group; see the module docstring."""

    def __init__(self, pattern: str | bytes, *, scale: float = 1.0, max_frame: int = 64) -> None:
        self._pattern = re.compile(pattern.encode() if isinstance(pattern, str) else pattern, re.DOTALL)
        if "weight" not in self._pattern.groupindex:
            raise ValueError("the frame pattern needs a group named 'weight'")
        self._scale = scale
        self._max_frame = max_frame
        self._buffer = b""
        self.rejected = 0
        """Matches whose weight did not parse, for diagnostics."""

    def parse(self, frame: bytes) -> Weighed:
        """The weight in a frame the pattern matches in full."""
        match = self._pattern.fullmatch(frame)
        if match is None:
            raise FrameError("frame does not match the pattern")
        return self._weighed(match)

    def _weighed(self, match: re.Match[bytes]) -> Weighed:
        number = _NUMBER.fullmatch(match["weight"] or b"")
        if number is None:
            raise FrameError(f"weight {match['weight']!r} is not a number")
        groups = self._pattern.groupindex
        negative = number[1] == b"-" or ("sign" in groups and match["sign"] == b"-")
        stable: bool | None = None
        if "stable" in groups:
            stable = match["stable"] is not None
        elif "motion" in groups:
            stable = match["motion"] is None
        # Decimal keeps 0.1-unit weights exact: 245 * 0.1 in floats is 24.500000000000004.
        kg = float(Decimal(number[2].decode()) * Decimal(str(self._scale)))
        return Weighed(signed(kg, negative=negative), stable)

    def feed(self, data: bytes) -> list[Weighed]:
        """Add bytes as they came off the line; never raises, skips noise and invalid frames."""
        self._buffer += data
        found: list[Weighed] = []
        end = 0
        for match in self._pattern.finditer(self._buffer):
            end = match.end()
            try:
                found.append(self._weighed(match))
            except FrameError:
                self.rejected += 1
        # Bytes after the last frame may be the start of the next; older bytes never will be.
        self._buffer = self._buffer[end:][-self._max_frame :]
        return found

    def reset(self) -> None:
        """Forget buffered bytes, for a fresh connection."""
        self._buffer = b""


A9_PLUS_PATTERN = rb"\t(?P<weight>[+-]\d{7})\x12\r"
"""A KLAS XK3190-A9+ seen in the field: TAB, sign, seven digits in 0.1 kg, DC2, CR (use scale=0.1)."""


def encode_a9_plus(kg: float) -> bytes:
    """The A9+ field frame for `kg`, rounded to the 0.1 kg it carries."""
    tenths = round(kg * 10)
    return b"\t" + f"{'-' if tenths < 0 else '+'}{abs(tenths):07d}".encode() + b"\x12\r"
