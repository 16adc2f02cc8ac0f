"""The product fields a PATCH may change, each with its type and range check."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from opsuite.core.text import text_error
from opsuite.scales import messages

DATE_FORMAT = "%d-%m-%y"


class FieldRejected(ValueError):
    """A value that does not fit its field; the message says why."""


class LeaveUnchanged(Exception):
    """The client's way of saying "no value" (an empty date)."""


def _integer(low: int, high: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        # bool is an int in Python, but true is not a PLU; an integral float (3.0) is accepted.
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FieldRejected(messages.INTEGER)
        if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
            raise FieldRejected(messages.INTEGER)
        number = int(value)
        if not low <= number <= high:
            raise FieldRejected(messages.BETWEEN.format(low=messages.number(low), high=messages.number(high)))
        return number

    return check


def _number(*, places: int | None = None, maximum: float = 1_000_000) -> Callable[[Any], float]:
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise FieldRejected(messages.NUMBER)
        if not 0 <= value <= maximum:
            raise FieldRejected(messages.BETWEEN.format(low=0, high=messages.number(maximum)))
        exponent = Decimal(str(value)).as_tuple().exponent
        if places is not None and isinstance(exponent, int) and -exponent > places:
            raise FieldRejected(messages.PLACES.format(n=places))
        return float(value)

    return check


def _name(value: Any) -> str:
    if not isinstance(value, str):
        raise FieldRejected(messages.STRING)
    if not 1 <= len(value) <= 64:
        raise FieldRejected(messages.LENGTH_BETWEEN.format(low=1, high=64))
    if value.count("\n") > 1:
        raise FieldRejected(messages.TWO_LINES)
    error = text_error(value)
    if error is not None:
        raise FieldRejected(messages.rule_of({"type": error.type}))
    return value


def _choice(*options: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in options:
            raise FieldRejected(messages.ONE_OF.format(options=", ".join(options)))
        return str(value)

    return check


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise FieldRejected(messages.BOOLEAN)
    return value


def _date(value: Any) -> str:
    if value == "":
        raise LeaveUnchanged
    if not isinstance(value, str):
        raise FieldRejected(messages.DATE)
    try:
        parsed = dt.datetime.strptime(value, DATE_FORMAT).date()
    except ValueError:
        raise FieldRejected(messages.DATE) from None
    if parsed.strftime(DATE_FORMAT) != value:
        raise FieldRejected(messages.DATE)
    return value


EDITABLE: dict[str, Callable[[Any], Any]] = {
    "name": _name,
    "price": _number(places=2),
    "discountPrice": _number(places=2),
    "productType": _choice("WEIGHT", "PIECE"),
    "tare": _number(maximum=1000),
    "pieceWeight": _number(maximum=1000),
    "shelfLife": _integer(0, 100_000),
    "shelfLifeType": _choice("DAYS", "HOURS"),
    "manufactureDate": _date,
    "sellByDate": _date,
    "code": _integer(1, 9_999_999),
    "pluNumber": _integer(1, 999_999),
    "deleted": _boolean,
    "category": _integer(0, 2_147_483_647),
    "message": _integer(0, 2_147_483_647),
}


def shelf_life_days(product: dict[str, Any]) -> int:
    """The shelf life in whole days: `shelfLife` by its type (hours rounded up), else `shelfLifeInDays`."""
    shelf = product.get("shelfLife")
    if isinstance(shelf, int | float) and not isinstance(shelf, bool) and shelf >= 0:
        if product.get("shelfLifeType") == "HOURS":
            return math.ceil(shelf / 24)
        return int(shelf)
    fallback = product.get("shelfLifeInDays")
    if isinstance(fallback, int | float) and not isinstance(fallback, bool) and fallback >= 0:
        return int(fallback)
    return 0
