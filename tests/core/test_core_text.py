"""core.text: the input rules every request model obeys, and JSON decoding with a depth limit."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

import pytest
from pydantic import Field, ValidationError

from opsuite.core.text import JSONRefused, RulesModel, SafeJSONResponse, UTCMoment, decode_json


class Sample(RulesModel):
    name: str = "ok"
    code: Annotated[str, Field(max_length=5)] = "x"
    amount: Decimal | None = None
    count: float | None = None
    moment: datetime | None = None
    utc: UTCMoment | None = None
    payload: dict[str, Any] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)


def _errors(data: dict[str, Any]) -> list[tuple[str, tuple[Any, ...]]]:
    with pytest.raises(ValidationError) as caught:
        Sample.model_validate(data)
    return [(error["type"], error["loc"]) for error in caught.value.errors()]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"name": "a\x00b"}, [("string_nul", ("name",))]),
        ({"name": "a\ud800"}, [("string_unicode", ("name",))]),
        ({"payload": {"k": "\udc00"}}, [("string_surrogate", ("payload",))]),
        ({"payload": {"k\x00": 1}}, [("string_nul", ("payload",))]),
        ({"tags": ["ok", "\x00"]}, [("string_nul", ("tags",))]),
        ({"name": "x" * 10_001}, [("string_too_long", ("name",))]),
        ({"code": "123456"}, [("string_too_long", ("code",))]),
    ],
)
def test_text_rule(data: dict[str, Any], expected: list[tuple[str, tuple[Any, ...]]]) -> None:
    assert _errors(data) == expected


def test_text_at_the_bounds_passes() -> None:
    sample = Sample.model_validate({"name": "я" * 10_000, "code": "12345", "tags": ["\U0001f600"]})
    assert (len(sample.name), sample.code, sample.tags) == (10_000, "12345", ["\U0001f600"])


@pytest.mark.parametrize("number", ["１２.５", "٩٠٠", "12.５"])
def test_numbers_in_other_scripts_are_refused(number: str) -> None:
    assert _errors({"amount": number}) == [("number_ascii_digits", ("amount",))]
    # pydantic reads floats and ints in Rust, ASCII only; Decimal goes through Python, which reads any script.
    assert _errors({"count": number}) == [("float_parsing", ("count",))]


def test_ascii_numbers_pass() -> None:
    sample = Sample.model_validate({"amount": "12.5", "count": 3})
    assert (sample.amount, sample.count) == (Decimal("12.5"), 3.0)


@pytest.mark.parametrize(
    "moment",
    ["0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00", "1899-12-31T23:59:59", "3000-01-01T00:00:00Z"],
)
def test_datetime_rule(moment: str) -> None:
    assert _errors({"moment": moment}) == [("datetime_range", ("moment",))]
    assert _errors({"utc": moment}) == [("datetime_range", ("utc",))]


def test_utc_moment_converts_and_keeps_the_ends_of_the_range() -> None:
    sample = Sample.model_validate({"utc": "1900-01-01T03:00:00+03:00", "moment": "2999-12-31T23:59:59"})
    assert sample.utc == datetime(1900, 1, 1, tzinfo=UTC)
    assert sample.moment == datetime(2999, 12, 31, 23, 59, 59)


def test_depth_rule_on_fields() -> None:
    deep: Any = "leaf"
    for _ in range(64):
        deep = [deep]
    assert Sample.model_validate({"payload": {"k": deep[0]}}).payload["k"] == deep[0]
    assert _errors({"payload": {"k": deep}}) == [("json_depth", ("payload",))]


def test_decode_json() -> None:
    assert decode_json(b'{"a": [1, "\\u00e9"]}') == {"a": [1, "é"]}
    cases = {
        "[" * 2000 + "]" * 2000: "JSON nested deeper than 64",
        "[" * 65 + "]" * 65: "JSON nested deeper than 64",
        '{"a": "\\u0000"}': "String must not contain NUL characters",
        '{"\\ud800": 1}': "String must not contain lone surrogates",
    }
    for raw, message in cases.items():
        with pytest.raises(JSONRefused, match=message):
            decode_json(raw)
    assert decode_json("[" * 64 + "]" * 64) is not None


def test_safe_json_response_escapes_what_utf8_cannot_encode() -> None:
    assert SafeJSONResponse({"input": "a\ud800"}).body == b'{"input":"a\\ud800"}'
    assert SafeJSONResponse({"input": "é"}).body == '{"input":"é"}'.encode()
