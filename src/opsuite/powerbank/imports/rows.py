"""Reading an import file into candidate users: one `Candidate` or one `RowError` per row."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from opsuite.core.tabular import TableTooLarge, read_table
from opsuite.powerbank.auth.service import generated_password
from opsuite.powerbank.errors import BadRequest
from opsuite.powerbank.users.schemas import UserWrite
from opsuite.powerbank.vocab import UserStatus

COLUMNS = ("fio", "email", "phone")
OPTIONAL_COLUMNS = ("role", "powerbank_limit")
# Headers a person may type instead of the template's names.
ALIASES = {
    "фио": "fio",
    "e-mail": "email",
    "почта": "email",
    "phone_e164": "phone",
    "телефон": "phone",
    "роль": "role",
    "лимит": "powerbank_limit",
    "individual_limit": "powerbank_limit",
}
MAX_ROWS = 1000
"""Each created user costs an Argon2 hash (tens of ms): a bigger list is split into several files."""

MISSING_COLUMNS = "В файле нет столбцов: {names}"
TOO_MANY_ROWS = "В файле больше {limit} строк"
UNREADABLE = "Не удалось прочитать файл Excel"
EMPTY_FILE = "В файле нет ни одной строки с пользователями"
BAD_FIO = "ФИО должно состоять минимум из двух слов по 2 буквы"
INVALID = "Неверное значение"
REPEATED = "Телефон или email уже встречается в файле (строка {row})"

_FIELDS = {"phone_e164": "phone", "powerbank_limit": "powerbank_limit"}


@dataclass(frozen=True)
class Candidate:
    """A row that passed the field rules: the request it makes, its line in the file."""

    row_number: int
    user: UserWrite


@dataclass(frozen=True)
class RowError:
    """Why one row cannot be imported."""

    row_number: int
    field: str | None
    error: str

    def wire(self) -> dict[str, Any]:
        """The row error as the answer lists it."""
        return {"row_number": self.row_number, "field": self.field, "error": self.error}


@dataclass
class Parsed:
    """Every non-empty row of a file, sorted into candidates and errors."""

    candidates: list[Candidate]
    errors: list[RowError]

    @property
    def total(self) -> int:
        """Rows read (blank rows are not counted)."""
        return len(self.candidates) + len(self.errors)


def read_rows(path: Path, *, unit_id: int | None) -> Parsed:
    """Parse the first sheet of an xlsx: header names (or their Russian aliases) in the first row."""
    try:
        table = read_table(path, "xlsx")
    except TableTooLarge as exc:
        raise BadRequest(str(exc)) from None
    except ValueError:
        raise BadRequest(UNREADABLE) from None
    try:
        names = [ALIASES.get(name.lower(), name.lower()) for name in table.header]
        missing = [name for name in COLUMNS if name not in names]
        if missing:
            raise BadRequest(MISSING_COLUMNS.format(names=", ".join(missing)))
        parsed = Parsed(candidates=[], errors=[])
        seen: dict[str, int] = {}
        for number, cells in table.rows:
            if parsed.total >= MAX_ROWS:
                raise BadRequest(TOO_MANY_ROWS.format(limit=MAX_ROWS))
            row = {ALIASES.get(key.lower(), key.lower()): value for key, value in cells.items()}
            outcome = _candidate(number, row, unit_id)
            if isinstance(outcome, Candidate):
                outcome = _first_time(outcome, seen)
            if isinstance(outcome, Candidate):
                parsed.candidates.append(outcome)
            else:
                parsed.errors.append(outcome)
    except ValueError:
        raise BadRequest(UNREADABLE) from None
    finally:
        table.close()
    if parsed.total == 0:
        raise BadRequest(EMPTY_FILE)
    return parsed


def _candidate(number: int, row: dict[str, Any], unit_id: int | None) -> Candidate | RowError:
    fio = _text(row.get("fio"))
    if fio is None or not _full_name(fio):
        return RowError(number, "fio", BAD_FIO)
    values: dict[str, Any] = {
        "fio": fio,
        "email": _text(row.get("email")) or "",
        "phone_e164": _text(row.get("phone")) or "",
        "status": UserStatus.ACTIVE,
        "password": generated_password(),
        "parent_org_unit_id": unit_id,
    }
    if (role := _text(row.get("role"))) is not None:
        values["role"] = role
    if (limit := _text(row.get("powerbank_limit"))) is not None:
        values["powerbank_limit"] = limit
    try:
        return Candidate(number, UserWrite.model_validate(values))
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else None
        message = str(first["msg"]).removeprefix("Value error, ")
        return RowError(
            number, _FIELDS.get(field or "", field), message if first["type"] == "value_error" else INVALID
        )


def _first_time(candidate: Candidate, seen: dict[str, int]) -> Candidate | RowError:
    keys = (candidate.user.phone_e164, candidate.user.email.lower())
    for key in keys:
        if key in seen:
            return RowError(candidate.row_number, None, REPEATED.format(row=seen[key]))
    for key in keys:
        seen[key] = candidate.row_number
    return candidate


def _full_name(fio: str) -> bool:
    words = [word for word in fio.split() if sum(char.isalpha() for char in word) >= 2]
    return len(words) >= 2


def _text(value: Any) -> str | None:
    """A cell as text: a phone typed as a number (79001234567.0) loses its fraction; blanks are None."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None
