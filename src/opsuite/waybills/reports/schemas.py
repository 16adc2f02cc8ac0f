"""Shapes of the reports: the drivers-report row, the xlsx layouts and the OpenAPI examples."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from opsuite.core.xlsx import XLSX_MEDIA_TYPE, Column
from opsuite.waybills import messages
from opsuite.waybills.openapi import Detail
from opsuite.waybills.users.schemas import DriverReportRow

__all__ = ["DriverReportRow", "ExportColumn"]

TOTAL_LABEL = "Итого по путевому листу"
GRAND_TOTAL_LABEL = "Итого"


@dataclass(frozen=True)
class ExportColumn:
    """A column of the waybills export: which key fills it on a record row and on a totals row."""

    column: Column
    record: str | None
    total: str | None = None


def _fuel(title: str, record: str | None, total: str | None = None) -> ExportColumn:
    return ExportColumn(Column(title, "decimal", 14), record, total)


def _km(title: str, record: str) -> ExportColumn:
    return ExportColumn(Column(title, "int", 12), record)


# Number, date and driver repeat on totals rows, so that a filtered sheet still reads well.
_WAYBILL = (
    ExportColumn(Column("№ путевого листа", width=10), "number", "number"),
    ExportColumn(Column("Дата", "date", 11), "date", "date"),
    ExportColumn(Column("Водитель", width=32), "driver", "driver"),
)
_TIMES = (
    ExportColumn(Column("Выезд", "time", 8), "departure_time"),
    ExportColumn(Column("Возвращение", "time", 8), "arrival_time"),
    _km("Одометр при выезде, км", "odometer_before"),
    _km("Одометр при возвращении, км", "odometer_after"),
)
_BALANCE = (
    _fuel("Расход по норме, л", "fuel_used_normal", "required_by_norm"),
    _fuel("Расход фактический, л", "fuel_used", "total_spent"),
    _fuel("Заправлено, л", "fuel_refueled", "total_received"),
    _fuel("Остаток при возвращении, л", "fuel_on_return", "availability_upon_delivery"),
    _fuel("Экономия, л", None, "savings"),
    _fuel("Перерасход, л", None, "overrun"),
)


@dataclass(frozen=True)
class ExportLayout:
    """The xlsx of one kind's waybills: sheet name, title row and columns."""

    sheet_name: str
    title: str
    columns: tuple[ExportColumn, ...]


PASSENGER_EXPORT = ExportLayout(
    sheet_name="Путевые листы",
    title="Путевые листы легкового автомобиля",
    columns=(
        *_WAYBILL,
        ExportColumn(Column("Цель поездки", width=32), "target", "total_label"),
        *_TIMES,
        _km("Пробег по городу, км", "distance_city_km"),
        _km("Пробег за городом, км", "distance_area_km"),
        _km("Пробег всего, км", "distance_total_km"),
        _fuel("Остаток при выезде, л", "fuel_before_departure", "upon_issuance"),
        _fuel("Расход по норме в городе, л", "fuel_used_city"),
        _fuel("Расход по норме за городом, л", "fuel_used_area"),
        *_BALANCE,
    ),
)
FIRE_TRUCK_EXPORT = ExportLayout(
    sheet_name="Карточки",
    title="Эксплуатационные карточки пожарного автомобиля",
    columns=(
        *_WAYBILL,
        ExportColumn(Column("Маршрут", width=24), "driving_route", "total_label"),
        ExportColumn(Column("Цель выезда", width=32), "target"),
        *_TIMES,
        _km("Пробег, км", "distance_km"),
        _km("Работа с насосом, мин", "time_with_pump"),
        _km("Работа без насоса, мин", "time_without_pump"),
        _fuel("Остаток при выезде, л", "fuel_before_departure", "upon_issuance"),
        _fuel("Расход по пробегу, л", "fuel_used_by_distance"),
        _fuel("Расход с насосом, л", "fuel_used_with_pump"),
        _fuel("Расход без насоса, л", "fuel_used_without_pump"),
        *_BALANCE,
    ),
)
DRIVERS_SHEET_NAME = "Отчёт по водителям"
CAR_TYPE_LABELS = {"passenger": "Легковой", "fire_truck": "Пожарный"}
DRIVERS_TITLE = "Отчёт по водителям"
DRIVERS_COLUMNS = (
    Column("Дата", "date", 11),
    Column("Водитель", width=32),
    Column("Тип автомобиля", width=12),
    Column("Гос. номер", width=12),
    Column("Маршрут / цель", width=32),
    Column("Пробег, км", "int", 12),
    Column("Расход фактический, л", "decimal", 14),
    Column("Расход по норме, л", "decimal", 14),
)

# OpenAPI ------------------------------------------------------------------------------------------

XLSX_CONTENT = {XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}


def _error(summary: str, detail: str) -> dict[str, Any]:
    return {"summary": summary, "value": {"detail": detail}}


def _json_errors(description: str, **examples: dict[str, Any]) -> dict[str, Any]:
    content = {"application/json": {"examples": examples}}
    return {"model": Detail, "description": description, "content": content}


_DENIED = _json_errors("Роли не хватает флага", denied=_error("Нет права", messages.PERMISSION_DENIED))

EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Файл xlsx: шапка с машиной и периодом, строки путевых листов, итоги по каждому листу",
        "content": XLSX_CONTENT,
    },
    400: _json_errors(
        "Не переданы параметры или неверный формат",
        params=_error("Нет car, from или to", messages.EXPORT_PARAMS),
        dates=_error("Дата не в формате YYYY-MM-DD", messages.EXPORT_BAD_DATES),
        car=_error("car не число", messages.BAD_CAR),
    ),
    403: _DENIED,
    404: _json_errors("Нет путевых листов машины за период", empty=_error("Пусто", messages.EXPORT_EMPTY)),
}

_DETAIL_OR_FIELDS = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
"""`{"detail": "..."}`, or DRF's field errors `{"driver": ["..."]}` when a parameter breaks the text rule."""

DRIVERS_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {
        "description": "Неверный формат параметра",
        "content": {
            "application/json": {
                "schema": _DETAIL_OR_FIELDS,
                "examples": {
                    "dates": _error("Дата не в формате YYYY-MM-DD", messages.EXPORT_BAD_DATES),
                    "driver": _error("driver не число", messages.BAD_DRIVER),
                    "nul": {
                        "summary": "Нулевой символ в параметре",
                        "value": {"driver": [messages.NUL_CHARACTERS]},
                    },
                },
            }
        },
    },
    403: _DENIED,
}

DRIVERS_REPORT_EXAMPLE = [
    {
        "date": "2024-09-15",
        "driver": "Иванов Иван Иванович",
        "car_type": "passenger",
        "car_number": "A001AA54",
        "route_or_target": "Поездка в город",
        "distance": 50,
        "fuel_used_fact": "8.000",
        "fuel_used_normal": "4.500",
    },
    {
        "date": "2024-09-15",
        "driver": "Иванов Иван Иванович",
        "car_type": "fire_truck",
        "car_number": "A101AA54",
        "route_or_target": "Выезд на пожар",
        "distance": 90,
        "fuel_used_fact": "25.000",
        "fuel_used_normal": "68.880",
    },
]

DRIVERS_REPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Поездки водителей по датам, затем водителям, затем строкам",
        "content": {"application/json": {"example": DRIVERS_REPORT_EXAMPLE}},
    },
    **DRIVERS_ERRORS,
}

DRIVERS_EXCEL_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Файл xlsx: те же строки, что у drivers-report, и строка итогов",
        "content": XLSX_CONTENT,
    },
    **DRIVERS_ERRORS,
}
