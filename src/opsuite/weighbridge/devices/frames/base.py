"""What every frame family shares: the parsed weight, the parser's one error, and the byte-stream splitter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol


class FrameError(ValueError):
    """A candidate frame is not a valid weight: wrong length or bytes, bad checksum, over or under range."""


@dataclass(frozen=True)
class Weighed:
    """A weight read out of one frame; `stable` is None when the format carries no stability flag."""

    kg: float
    stable: bool | None


class FrameParser(Protocol):
    """Buffers a byte stream and returns the weights of the complete, valid frames in it."""

    def feed(self, data: bytes) -> list[Weighed]:
        """Add bytes as they came off the line; never raises, skips noise and invalid frames."""
        ...

    def reset(self) -> None:
        """Forget buffered bytes, for a fresh connection."""
        ...


class FixedFrameParser:
    """Streams a fixed-length frame family: find a start marker, take `length` bytes, parse or resync."""

    def __init__(self, start: re.Pattern[bytes], length: int) -> None:
        self._start = start
        self._length = length
        self._buffer = b""
        self.rejected = 0
        """Candidate frames that failed to parse, for diagnostics."""

    def parse(self, frame: bytes) -> Weighed:
        """The weight in exactly one frame; raise FrameError otherwise."""
        raise NotImplementedError

    def feed(self, data: bytes) -> list[Weighed]:
        """Add bytes as they came off the line; never raises, skips noise and invalid frames."""
        self._buffer += data
        found: list[Weighed] = []
        while True:
            match = self._start.search(self._buffer)
            if match is None:
                # A frame may begin in the tail; anything earlier can never be one.
                self._buffer = self._buffer[-(self._length - 1) :]
                return found
            self._buffer = self._buffer[match.start() :]
            if len(self._buffer) < self._length:
                return found
            try:
                found.append(self.parse(self._buffer[: self._length]))
            except FrameError:
                self.rejected += 1
                # Drop only the marker: a real frame may start inside the rejected candidate.
                self._buffer = self._buffer[1:]
            else:
                self._buffer = self._buffer[self._length :]

    def reset(self) -> None:
        """Forget buffered bytes, for a fresh connection."""
        self._buffer = b""


def digits_value(text: bytes, *, what: str) -> int:
    """The integer of ASCII digits (leading blanks allowed, as indicators blank leading zeros)."""
    stripped = text.lstrip(b" ")
    if not stripped.isdigit():
        raise FrameError(f"{what} is not digits: {text!r}")
    return int(stripped)


def signed(value: float, *, negative: bool) -> float:
    """`value` with its sign applied, never -0.0 (an indicator shows "-000000" at zero)."""
    return (-value if negative else value) + 0.0


def decimal_text(kg: float, decimals: int) -> str:
    """`abs(kg)` with exactly `decimals` places and no sign, as an indicator displays it."""
    return f"{abs(kg):.{decimals}f}"
