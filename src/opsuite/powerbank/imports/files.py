"""The xlsx files of the import: the template to fill in and the report with generated passwords."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

from opsuite.core import xlsx
from opsuite.powerbank.imports.rows import RowError
from opsuite.powerbank.imports.service import Created

TEMPLATE_NAME = "users_import_template.xlsx"
REPORT_NAME = "users_import_report.xlsx"
SAMPLES = (
    ("Иванов Иван Иванович", "ivanov@example.com", "+79001234567"),
    ("Петрова Анна Сергеевна", "petrova@example.com", "89001234568"),
)
_TEMPLATE_COLUMNS = (
    xlsx.Column("fio", width=32),
    xlsx.Column("email", width=28),
    xlsx.Column("phone", width=18),
)
_CREATED_COLUMNS = (
    xlsx.Column("row_number", "int", 10),
    xlsx.Column("user_id", "int", 10),
    xlsx.Column("fio", width=32),
    xlsx.Column("email", width=28),
    xlsx.Column("phone_e164", width=18),
    xlsx.Column("password", width=14),
)
_ERROR_COLUMNS = (
    xlsx.Column("row_number", "int", 10),
    xlsx.Column("field", width=16),
    xlsx.Column("error", width=60),
)


def template() -> IO[bytes]:
    """`users_import_template.xlsx`: columns fio, email, phone and two sample rows."""

    def fill(workbook: Any) -> None:
        sheet = xlsx.Sheet(workbook, "users")
        sheet.columns(_TEMPLATE_COLUMNS)
        for sample in SAMPLES:
            sheet.write(sample)

    return xlsx.build(fill)


def report(created: Sequence[Created], errors: Sequence[RowError]) -> IO[bytes]:
    """The import's report: the created users with their passwords, then the refused rows."""

    def fill(workbook: Any) -> None:
        sheet = xlsx.Sheet(workbook, "Созданные")
        sheet.columns(_CREATED_COLUMNS)
        for row in created:
            sheet.write(
                (row.row_number, row.user_id, row.fio, row.email, row.phone_e164, row.password),
                ("int", "int"),
            )
        refused = xlsx.Sheet(workbook, "Ошибки")
        refused.columns(_ERROR_COLUMNS)
        for error in errors:
            refused.write((error.row_number, error.field, error.error), ("int",))

    return xlsx.build(fill)
