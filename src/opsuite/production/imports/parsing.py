"""One imported row to typed values, with the original's messages."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from pydantic import ValidationError

REQUIRED = (
    "batch_number",
    "batch_date",
    "nomenclature",
    "ekn_code",
    "task_description",
    "shift",
    "team",
    "shift_start",
    "shift_end",
    "work_center_identifier",
    "work_center_name",
)
OPTIONAL = ("is_closed", "closed_at", "products")
TEXT_FIELDS = ("nomenclature", "ekn_code", "task_description", "shift", "team")
DATE_FORMATS = ("%d.%m.%Y", "%d/%m/%Y")
DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%d.%m.%Y %H:%M:%S")
TRUE = frozenset({"true", "1", "да", "yes", "y", "t"})
FALSE = frozenset({"false", "0", "нет", "no", "n", "f", ""})


MAX_NUMBER = 2**31 - 1  # the database's INTEGER: larger values must fail their row, not the statement


class RowError(ValueError):
    """A row that cannot be imported; the message goes to the result as is."""


@dataclass
class ImportedProduct:
    """A product of a row: its code and, when exported so, its aggregation."""

    unique_code: str
    is_aggregated: bool = False
    aggregated_at: datetime | None = None


@dataclass
class ImportedRow:
    """A row's values, typed."""

    batch_number: int
    batch_date: date
    shift_start: datetime
    shift_end: datetime
    work_center_identifier: str
    work_center_name: str
    texts: dict[str, str]
    is_closed: bool = False
    closed_at: datetime | None = None
    products: list[ImportedProduct] = field(default_factory=list)

    def batch_fields(self) -> dict[str, Any]:
        """The fields of a batch create/update body, without the work center."""
        return {
            **self.texts,
            "batch_number": self.batch_number,
            "batch_date": self.batch_date,
            "shift_start": self.shift_start,
            "shift_end": self.shift_end,
        }


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str:
    """A cell as text: whole Excel numbers without `.0`, dates in ISO."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def required(raw: dict[str, Any], name: str) -> Any:
    """The cell, or the original's message for a missing value."""
    value = raw.get(name)
    if _blank(value):
        raise RowError(f"{name} обязателен и не может быть пустым")
    return value


def to_int(value: Any) -> int:
    """An integer within the database's INTEGER from a number cell (Excel stores floats) or text."""
    number = _integer(value)
    if abs(number) > MAX_NUMBER:
        raise RowError(f"Число {text(value)[:40]} вне допустимого диапазона (до {MAX_NUMBER})")
    return number


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise RowError(f"Не удалось преобразовать {value} в int")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise RowError(f"Не удалось преобразовать {value} в int")
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        raise RowError(f"Не удалось преобразовать {str(value)[:100]} в int") from None
    if not number.is_integer():
        raise RowError(f"Не удалось преобразовать {str(value)[:100]} в int")
    return int(number)


def to_date(value: Any) -> date:
    """A date cell, or text in ISO, `%d.%m.%Y` or `%d/%m/%Y`."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise RowError(f"Не удалось преобразовать {value} в date")
    raw = value.strip()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        pass
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise RowError(f"Неверный формат даты: {value}")


def to_datetime(value: Any) -> datetime:
    """A datetime cell, or text: ISO (`Z` allowed), `%Y-%m-%d %H:%M:%S`, `%d.%m.%Y %H:%M:%S`; naive = UTC."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        moment = _parse_datetime(value.strip())
    else:
        raise RowError(f"Не удалось преобразовать {value} в datetime")
    try:
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except OverflowError:
        # Year 1 with a positive offset (or 9999 with a negative one) has no UTC moment.
        raise RowError(f"Дата вне допустимого диапазона: {text(value)[:40]}") from None


def _parse_datetime(raw: str) -> datetime:
    try:
        return datetime.fromisoformat(raw[:-1] + "+00:00" if raw.endswith(("Z", "z")) else raw)
    except ValueError:
        pass
    for fmt in DATETIME_FORMATS:
        try:
            return datetime.strptime(raw, fmt)
        except ValueError:
            continue
    raise RowError(f"Неверный формат datetime: {raw}")


def to_bool(value: Any) -> bool:
    """true/false, 1/0, да/нет (any case), a boolean or number cell; empty is false."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if value is None:
        return False
    word = str(value).strip().lower()
    if word in TRUE:
        return True
    if word in FALSE:
        return False
    raise RowError(f"Не удалось преобразовать {value} в bool")


def to_products(value: Any) -> list[ImportedProduct]:
    """The export's JSON list of products (objects with `unique_code`, or plain codes); else codes
    separated by commas, semicolons or line breaks."""
    if _blank(value):
        return []
    raw = text(value)
    try:
        items = json.loads(raw)
    except (ValueError, RecursionError):
        # RecursionError: thousands of nested brackets.
        items = None
    if items is None or not isinstance(items, list):
        if raw.lstrip().startswith(("[", "{")):
            raise RowError(f"Неверный формат products: {raw[:100]}")
        codes = [part.strip() for part in raw.replace(";", ",").replace("\n", ",").split(",")]
        return [ImportedProduct(code) for code in codes if code]
    products = []
    for item in items:
        if isinstance(item, str) and item.strip():
            products.append(ImportedProduct(item.strip()))
        elif (
            isinstance(item, dict)
            and isinstance(item.get("unique_code"), str)
            and item["unique_code"].strip()
        ):
            aggregated = to_bool(item.get("is_aggregated"))
            moment = item.get("aggregated_at")
            products.append(
                ImportedProduct(
                    item["unique_code"].strip(),
                    is_aggregated=aggregated,
                    aggregated_at=to_datetime(moment) if aggregated and not _blank(moment) else None,
                )
            )
        else:
            raise RowError(f"Неверный формат products: {raw[:100]}")
    return products


def parse_row(raw: dict[str, Any]) -> ImportedRow:
    """Type one row; raises RowError with the first problem found."""
    number = to_int(required(raw, "batch_number"))
    day = to_date(required(raw, "batch_date"))
    texts = {name: text(required(raw, name)) for name in TEXT_FIELDS}
    start = to_datetime(required(raw, "shift_start"))
    end = to_datetime(required(raw, "shift_end"))
    identifier = text(required(raw, "work_center_identifier"))
    name = text(required(raw, "work_center_name"))
    closed_at = raw.get("closed_at")
    return ImportedRow(
        batch_number=number,
        batch_date=day,
        shift_start=start,
        shift_end=end,
        work_center_identifier=identifier,
        work_center_name=name,
        texts=texts,
        is_closed=to_bool(raw.get("is_closed")),
        closed_at=None if _blank(closed_at) else to_datetime(closed_at),
        products=to_products(raw.get("products")),
    )


def validation_message(error: ValidationError) -> str:
    """A pydantic error as the domain's messages, joined."""
    parts = []
    for item in error.errors():
        message = str(item.get("msg", ""))
        if message.startswith("Value error, "):
            parts.append(message.removeprefix("Value error, "))
        else:
            location = ".".join(str(part) for part in item.get("loc", ()))
            parts.append(f"{location}: {message}" if location else message)
    return "; ".join(parts)
