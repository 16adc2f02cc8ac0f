"""The frame formats by name, as settings choose them: a parser and the encoder a simulator sends."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, get_args

from opsuite.weighbridge.devices.frames.base import FrameParser
from opsuite.weighbridge.devices.frames.cas import CasParser, encode_cas
from opsuite.weighbridge.devices.frames.regex import A9_PLUS_PATTERN, RegexParser, encode_a9_plus
from opsuite.weighbridge.devices.frames.toledo import ToledoParser, encode_toledo
from opsuite.weighbridge.devices.frames.yaohua import (
    YaohuaEqualsParser,
    YaohuaStxParser,
    encode_equals,
    encode_stx,
)

FrameFormat = Literal[
    "yaohua", "yaohua_equals", "yaohua_equals_forward", "toledo", "toledo_checksum", "cas", "regex"
]
FORMATS: tuple[FrameFormat, ...] = get_args(FrameFormat)

Encoder = Callable[[float, bool], bytes]
"""(kg, stable) -> the frame an indicator of that format sends; formats without a flag ignore `stable`."""


def parser_for(
    name: FrameFormat, *, pattern: str | bytes = A9_PLUS_PATTERN, scale: float = 0.1
) -> FrameParser:
    """A fresh parser for a format; `pattern` and `scale` apply to `regex` only (default: the A9+ frame)."""
    match name:
        case "yaohua":
            return YaohuaStxParser()
        case "yaohua_equals":
            return YaohuaEqualsParser()
        case "yaohua_equals_forward":
            return YaohuaEqualsParser(reversed_digits=False)
        case "toledo":
            return ToledoParser()
        case "toledo_checksum":
            return ToledoParser(with_checksum=True)
        case "cas":
            return CasParser()
        case "regex":
            return RegexParser(pattern, scale=scale)


def encoder_for(name: FrameFormat, *, decimals: int = 0) -> Encoder:
    """How a simulated indicator of a format encodes a weight (`regex` sends the A9+ field frame)."""
    encoders: dict[FrameFormat, Encoder] = {
        "yaohua": lambda kg, _stable: encode_stx(kg, decimals=decimals),
        "yaohua_equals": lambda kg, _stable: encode_equals(kg, decimals=decimals),
        "yaohua_equals_forward": lambda kg, _stable: encode_equals(
            kg, decimals=decimals, reversed_digits=False
        ),
        "toledo": lambda kg, stable: encode_toledo(kg, stable=stable, decimals=decimals),
        "toledo_checksum": lambda kg, stable: encode_toledo(
            kg, stable=stable, decimals=decimals, with_checksum=True
        ),
        "cas": lambda kg, stable: encode_cas(kg, stable=stable, decimals=decimals),
        "regex": lambda kg, _stable: encode_a9_plus(kg),
    }
    return encoders[name]
