"""Properties of every frame family: weights round-trip, chunking never matters, garbage never escapes."""

from __future__ import annotations

import contextlib
from typing import get_args

from hypothesis import given
from hypothesis import strategies as st

from opsuite.weighbridge.devices.frames.base import FixedFrameParser, FrameError, Weighed
from opsuite.weighbridge.devices.frames.cas import CasParser
from opsuite.weighbridge.devices.frames.formats import FORMATS, FrameFormat, encoder_for, parser_for
from opsuite.weighbridge.devices.frames.regex import A9_PLUS_PATTERN, RegexParser
from opsuite.weighbridge.devices.frames.toledo import ToledoParser
from opsuite.weighbridge.devices.frames.yaohua import YaohuaEqualsParser, YaohuaStxParser

FLAGGED = ("toledo", "toledo_checksum", "cas")
# The widest value each format carries: six digits (Yaohua STX, Toledo), seven characters (the rest).
DIGITS = {"yaohua": 6, "toledo": 6, "toledo_checksum": 6, "yaohua_equals": 6, "yaohua_equals_forward": 6}


@st.composite
def shown_weights(draw: st.DrawFn, name: FrameFormat) -> tuple[float, int]:
    """A weight as an indicator displays it: an integer count of 10^-decimals kg that fits the frame."""
    decimals = 1 if name == "regex" else draw(st.integers(0, 3))
    digits = DIGITS.get(name, 6)
    count = draw(st.integers(-(10**digits - 1), 10**digits - 1))
    return count / 10**decimals, decimals


@given(data=st.data(), name=st.sampled_from(FORMATS), stable=st.booleans())
def test_encoded_weights_parse_back_exactly(data: st.DataObject, name: FrameFormat, stable: bool) -> None:
    kg, decimals = data.draw(shown_weights(name))
    frame = encoder_for(name, decimals=decimals)(kg, stable)
    assert parser_for(name).feed(frame) == [Weighed(kg, stable if name in FLAGGED else None)]


@given(data=st.data(), name=st.sampled_from(FORMATS))
def test_a_stream_split_at_any_boundaries_parses_the_same(data: st.DataObject, name: FrameFormat) -> None:
    weights = data.draw(st.lists(shown_weights(name), min_size=1, max_size=4))
    noise = data.draw(st.binary(max_size=8).filter(lambda blob: b"\t" not in blob))
    encoded = [encoder_for(name, decimals=decimals)(kg, True) for kg, decimals in weights]
    stream = noise.join(encoded)
    whole = parser_for(name).feed(stream)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=6)))
    parser = parser_for(name)
    pieces = [stream[start:end] for start, end in zip([0, *cuts], [*cuts, len(stream)], strict=True)]
    assert [weighed for piece in pieces for weighed in parser.feed(piece)] == whole
    assert [weighed.kg for weighed in whole[-1:]] == [weights[-1][0]]


PARSERS: list[FixedFrameParser | RegexParser] = [
    YaohuaStxParser(),
    YaohuaEqualsParser(),
    YaohuaEqualsParser(reversed_digits=False),
    ToledoParser(),
    ToledoParser(with_checksum=True),
    CasParser(),
    RegexParser(A9_PLUS_PATTERN, scale=0.1),
]


@given(blob=st.binary(max_size=64), index=st.integers(0, len(PARSERS) - 1))
def test_garbage_raises_only_the_parsers_error(blob: bytes, index: int) -> None:
    parser = PARSERS[index]
    with contextlib.suppress(FrameError):
        parser.parse(blob)
    parser.feed(blob)


@given(blob=st.binary(max_size=40), name=st.sampled_from(FORMATS))
def test_garbage_with_a_frame_in_its_middle_still_yields_that_frame(blob: bytes, name: FrameFormat) -> None:
    frame = encoder_for(name)(24500.0, True)
    found = parser_for(name).feed(blob + frame + frame)
    # The noise may swallow the first copy (it can look like a frame start); the second always survives.
    assert found[-1].kg == 24500.0


def test_the_format_list_is_the_literal() -> None:
    assert get_args(FrameFormat) == FORMATS
