"""Validate and import candidate users: each row through the rules of `POST /api/users`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from opsuite.powerbank import access
from opsuite.powerbank.access import Caller, Permission
from opsuite.powerbank.auth.service import taken
from opsuite.powerbank.errors import PowerbankError
from opsuite.powerbank.imports.rows import Candidate, Parsed, RowError, read_rows
from opsuite.powerbank.users import directory

PREVIEW_ROWS = 10
EXISTS = "Пользователь с таким телефоном или email уже существует"
VALIDATED = "Проверено строк: {total}, можно создать: {new}"
IMPORTED = "Создано пользователей: {created} из {total}"


@dataclass(frozen=True)
class Created:
    """A user the import made, with the password only the report file carries."""

    row_number: int
    user_id: int
    fio: str | None
    email: str
    phone_e164: str
    password: str

    def wire(self) -> dict[str, Any]:
        """The row of `created_users` (never the password)."""
        return {
            "user_id": self.user_id,
            "fio": self.fio,
            "email": self.email,
            "phone_e164": self.phone_e164,
            "email_sent": False,
            "row_number": self.row_number,
        }


@dataclass
class Outcome:
    """What an import did."""

    total: int
    created: list[Created] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    existing: int = 0

    def wire(self) -> dict[str, Any]:
        """The answer's body (the document's keys, without passwords)."""
        return {
            "created_users": [row.wire() for row in self.created],
            "errors": [error.wire() for error in self.errors],
            "statistics": {
                "total_parsed": self.total,
                "valid_users": self.total - len(self.errors) + self.existing,
                "existing_users": self.existing,
                "created_users": len(self.created),
                "errors": len(self.errors),
            },
        }

    @property
    def message(self) -> str:
        """The answer's message."""
        return IMPORTED.format(created=len(self.created), total=self.total)


def _check_caller(session: Session, caller: Caller, unit_id: int | None) -> int | None:
    access.require(caller, Permission.APPROVE_USERS)
    target = unit_id if unit_id is not None or caller.is_service_admin else caller.org_unit_id
    if target is not None or not caller.is_service_admin:
        access.require_in_scope(session, caller, target)
    return target


def validate(session: Session, *, caller: Caller, path: Path, unit_id: int | None) -> dict[str, Any]:
    """Parse and check every row (fields, role within reach, phone and e-mail free); nothing is written."""
    target = _check_caller(session, caller, unit_id)
    parsed = read_rows(path, unit_id=target)
    errors = list(parsed.errors)
    new: list[Candidate] = []
    existing = 0
    for candidate in parsed.candidates:
        if not access.may_assign(caller, candidate.user.role):
            errors.append(RowError(candidate.row_number, "role", access.ROLE_TOO_HIGH))
        elif taken(session, phone=candidate.user.phone_e164, email=candidate.user.email):
            existing += 1
            errors.append(RowError(candidate.row_number, None, EXISTS))
        else:
            new.append(candidate)
    errors.sort(key=lambda error: error.row_number)
    return {
        "message": VALIDATED.format(total=parsed.total, new=len(new)),
        "errors": [error.wire() for error in errors],
        "statistics": {
            "total_rows": parsed.total,
            "valid_users": len(new) + existing,
            "new_users": len(new),
            "existing_users": existing,
            "errors": len(errors),
        },
        "preview_users": [_preview(candidate) for candidate in new[:PREVIEW_ROWS]],
    }


def _preview(candidate: Candidate) -> dict[str, Any]:
    user = candidate.user
    return {
        "row_number": candidate.row_number,
        "fio": user.fio,
        "email": user.email,
        "phone_e164": user.phone_e164,
        "role": user.role.value,
        "powerbank_limit": user.powerbank_limit,
    }


def run_import(
    session: Session, *, caller: Caller, path: Path, unit_id: int | None, now: datetime
) -> Outcome:
    """Create every valid new row as `POST /api/users` would (active, generated password); a refused row
    (taken phone or e-mail, role out of reach) is reported and the others go on."""
    target = _check_caller(session, caller, unit_id)
    parsed: Parsed = read_rows(path, unit_id=target)
    outcome = Outcome(total=parsed.total, errors=list(parsed.errors))
    for candidate in parsed.candidates:
        user = candidate.user
        if taken(session, phone=user.phone_e164, email=user.email):
            outcome.existing += 1
            outcome.errors.append(RowError(candidate.row_number, None, EXISTS))
            continue
        try:
            with session.begin_nested():
                view = directory.create_user(session, caller=caller, new=user, now=now)
        except PowerbankError as exc:
            outcome.errors.append(RowError(candidate.row_number, None, exc.detail))
            continue
        assert user.password is not None  # rows.read_rows always generates one
        outcome.created.append(
            Created(candidate.row_number, view.user.id, user.fio, user.email, user.phone_e164, user.password)
        )
    outcome.errors.sort(key=lambda error: error.row_number)
    return outcome
