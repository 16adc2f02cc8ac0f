"""Input rules every system applies to what clients send: text, numbers, moments and JSON depth.

Text: no NUL (PostgreSQL refuses it, SQLite stores it), no lone surrogate (it cannot be encoded as UTF-8,
so storing or answering it fails), a bounded length. Numbers: digits outside ASCII (`٩`, `９`) are refused
rather than read as numbers. Moments: a datetime's year lies in 1900..2999, so converting it to
UTC or adding a day never overflows. JSON: nested at most MAX_JSON_DEPTH deep, so nothing that walks it
recursively runs out of stack. `RulesModel` applies all of these to every field of a request model.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi.exceptions import RequestValidationError
from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError
from pydantic_core.core_schema import ValidatorFunctionWrapHandler
from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse

TEXT_MAX_LENGTH = 10_000
"""The longest string a field takes when it declares no maximum of its own."""
MAX_JSON_DEPTH = 64
MOMENT_MIN_YEAR = 1900
MOMENT_MAX_YEAR = 2999

# The error types below are the keys a system translates them by (waybills speaks Russian).
NUL = "string_nul"
SURROGATE = "string_surrogate"
ASCII_DIGITS = "number_ascii_digits"
MOMENT_RANGE = "datetime_range"
JSON_DEPTH = "json_depth"


def text_error(value: str) -> PydanticCustomError | None:
    """The error of a string breaking the text rule (NUL or lone surrogate), or None when it is clean."""
    if "\x00" in value:
        return PydanticCustomError(NUL, "String must not contain NUL characters")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return PydanticCustomError(SURROGATE, "String must not contain lone surrogates")
    return None


def check_text(value: str) -> str:
    """Return `value` if it obeys the text rule; raise a pydantic error otherwise."""
    error = text_error(value)
    if error is not None:
        raise error
    return value


def check_tree(value: Any, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Check every string (keys included) of a JSON-like value, and its depth, without recursion."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            check_text(item)
        elif isinstance(item, dict | list | tuple | set | frozenset):
            if depth >= max_depth:
                raise PydanticCustomError(
                    JSON_DEPTH, "JSON nested deeper than {max_depth}", {"max_depth": max_depth}
                )
            if isinstance(item, dict):
                stack.extend((key, depth) for key in item)
                stack.extend((child, depth + 1) for child in item.values())
            else:
                stack.extend((child, depth + 1) for child in item)
    return value


def check_number_source(raw: Any, parsed: Any) -> None:
    """Refuse a number read from a string that is not plain ASCII (`٩٠٠`, full-width `９`)."""
    is_number = isinstance(parsed, int | float | Decimal) and not isinstance(parsed, bool)
    if is_number and isinstance(raw, str) and not raw.isascii():
        raise PydanticCustomError(ASCII_DIGITS, "Number must be written with ASCII digits")


def check_moment(value: datetime) -> datetime:
    """Refuse a datetime whose year (as written, before any conversion) is outside the moment range."""
    # By the written year: converting year 1 or 9999 with an offset to UTC is what overflows.
    if not MOMENT_MIN_YEAR <= value.year <= MOMENT_MAX_YEAR:
        raise PydanticCustomError(
            MOMENT_RANGE,
            "Datetime year must lie between {min} and {max}",
            {"min": MOMENT_MIN_YEAR, "max": MOMENT_MAX_YEAR},
        )
    return value


def utc_moment(value: datetime) -> datetime:
    """Check the datetime rule, then read naive input as UTC and convert aware input to UTC."""
    check_moment(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


UTCMoment = Annotated[datetime, AfterValidator(utc_moment)]
"""A datetime within the moment range, as UTC."""


class JSONRefused(ValueError):
    """A JSON text that parses but breaks a rule (too deep, bad text); `pos` is 0 as for a decode error."""

    pos = 0


def decode_json(raw: bytes | str, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """`json.loads` that refuses (ValueError) nesting past `max_depth` and strings breaking the text rule."""
    try:
        parsed = json.loads(raw)
    except RecursionError:
        raise JSONRefused(f"JSON nested deeper than {max_depth}") from None
    try:
        return check_tree(parsed, max_depth=max_depth)
    except PydanticCustomError as exc:
        raise JSONRefused(exc.message()) from None


class SafeJSONResponse(JSONResponse):
    """JSON that always renders: a refused lone surrogate echoed in an error is sent escaped, not a 500."""

    def render(self, content: Any) -> bytes:
        """UTF-8 JSON as usual; ASCII with escapes when the content holds text UTF-8 cannot encode."""
        try:
            return super().render(content)
        except UnicodeEncodeError:
            text = json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
            return text.encode("ascii")


async def refuse_unsafe_url(request: HTTPConnection) -> None:
    """A route dependency: query and path values obey the text rule too (422/400 in the system's envelope)."""
    sources = (("query", request.query_params.multi_items()), ("path", request.path_params.items()))
    for where, items in sources:
        for name, value in items:
            error = text_error(f"{name}{value}") if isinstance(value, str) else None
            if error is not None:
                raise RequestValidationError(
                    [{"type": error.type, "loc": (where, name), "msg": error.message(), "input": value}]
                )


class RulesModel(BaseModel):
    """Base of request models: every field obeys the text, number, moment and depth rules."""

    model_config = ConfigDict(str_max_length=TEXT_MAX_LENGTH)

    @field_validator("*", mode="wrap")
    @classmethod
    def _input_rules(cls, value: Any, handler: ValidatorFunctionWrapHandler, _info: ValidationInfo) -> Any:
        parsed = handler(value)
        if isinstance(parsed, str):
            check_text(parsed)
        elif isinstance(parsed, datetime):
            check_moment(parsed)
        elif isinstance(parsed, dict | list | tuple | set | frozenset):
            check_tree(parsed)
        else:
            check_number_source(value, parsed)
        return parsed


# Russian (and the Ukrainian/Belarusian extras) in Latin letters, as Russian passports write names (ICAO).
_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y",
    "ь": "", "э": "e", "ю": "iu", "я": "ia", "і": "i", "ї": "i", "є": "ie", "ґ": "g", "ў": "u",
}  # fmt: skip
_TRANSLIT_TABLE = str.maketrans({**_TRANSLIT, **{k.upper(): v.capitalize() for k, v in _TRANSLIT.items()}})


def transliterate(value: str) -> str:
    """Cyrillic letters in Latin (`Отчёт` -> `Otchet`); every other character is left as it is."""
    return value.translate(_TRANSLIT_TABLE)
