"""Excel exports of a car's waybills and the drivers report, read from the database in chunks."""

from __future__ import annotations

import datetime as dt
import heapq
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any, NamedTuple

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from opsuite.core import xlsx
from opsuite.core.fields import MAX_ID
from opsuite.waybills import messages
from opsuite.waybills.errors import BadRequest, NotFound
from opsuite.waybills.kinds import FIRE_TRUCK, PASSENGER, VehicleKind
from opsuite.waybills.reports import schemas
from opsuite.waybills.reports.schemas import DriverReportRow
from opsuite.waybills.sheets.models import FireTruckRecord, PassengerCarRecord
from opsuite.waybills.users.models import User

CHUNK_ROWS = 500
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_WAYBILL_KEYS = frozenset({"number", "date", "driver"})
_AGGREGATES = (
    "upon_issuance", "total_spent", "total_received", "required_by_norm", "availability_upon_delivery",
    "savings", "overrun",
)  # fmt: skip


# Parameters ---------------------------------------------------------------------------------------


def parse_day(value: str) -> dt.date:
    """A strict YYYY-MM-DD date, or BadRequest."""
    try:
        if _DAY.fullmatch(value):
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise BadRequest(messages.EXPORT_BAD_DATES)


def parse_id(value: str, message: str) -> int:
    """A row id within the integer column's range, or BadRequest with `message`."""
    # ASCII digits only: int() would also take "1_000", " 7" or other scripts' digits.
    if not (value.isascii() and value.isdigit() and len(value) <= len(str(MAX_ID))):
        raise BadRequest(message)
    number = int(value)
    if not 1 <= number <= MAX_ID:
        raise BadRequest(message)
    return number


def period_text(first: dt.date | None, last: dt.date | None) -> str:
    """The period as printed in a sheet's header."""
    if first and last:
        return f"{first:%d.%m.%Y} — {last:%d.%m.%Y}"
    if first:
        return f"с {first:%d.%m.%Y}"
    if last:
        return f"по {last:%d.%m.%Y}"
    return "за всё время"


def _full_name(surname: str, name: str, last_name: str) -> str:
    return " ".join(part for part in (surname, name, last_name) if part)


# A car's waybills ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class KindReport:
    """How one kind of vehicle appears in the reports."""

    kind: VehicleKind
    layout: schemas.ExportLayout
    has_type: bool  # the export's header names the vehicle's type
    car_type: str  # the drivers report's `car_type`
    car_type_label: str
    route: ColumnElement[str]  # the drivers report's route-or-target of a record
    distance: ColumnElement[int]  # the drivers report's distance of a record


PASSENGER_REPORT = KindReport(
    kind=PASSENGER,
    layout=schemas.PASSENGER_EXPORT,
    has_type=False,
    car_type="passenger",
    car_type_label="Легковой",
    route=PassengerCarRecord.target.expression,
    distance=PassengerCarRecord.distance_total_km.expression,
)
FIRE_TRUCK_REPORT = KindReport(
    kind=FIRE_TRUCK,
    layout=schemas.FIRE_TRUCK_EXPORT,
    has_type=True,
    car_type="fire_truck",
    car_type_label="Пожарный",
    route=func.coalesce(func.nullif(FireTruckRecord.driving_route, ""), FireTruckRecord.target),
    distance=FireTruckRecord.distance_km.expression,
)
REPORTS = (PASSENGER_REPORT, FIRE_TRUCK_REPORT)


def export_waybills(
    session: Session, *, report: KindReport, car: str | None, date_from: str | None, date_to: str | None
) -> tuple[IO[bytes], str]:
    """An xlsx of a car's live waybills dated within [from, to], with their live records and totals."""
    if not car or not date_from or not date_to:
        raise BadRequest(messages.EXPORT_PARAMS)
    first, last = parse_day(date_from), parse_day(date_to)
    car_id = parse_id(car, messages.BAD_CAR)
    kind = report.kind
    W = kind.waybill
    where = (W.car_id == car_id, W.deleted_at.is_(None), W.date >= first, W.date <= last)
    if session.scalar(select(W.id).where(*where).limit(1)) is None:
        raise NotFound(messages.EXPORT_EMPTY)
    # The car itself may be soft-deleted: its live waybills are still history worth exporting.
    vehicle: Any = session.get(kind.car, car_id)
    header = [("Гос. номер", vehicle.number), ("Марка", vehicle.brand), ("Модель", vehicle.model)]
    if report.has_type:
        header.append(("Тип", vehicle.type))
    header.append(("Период", period_text(first, last)))

    def fill(workbook: Any) -> None:
        sheet = xlsx.Sheet(workbook, report.layout.sheet_name)
        sheet.write([report.layout.title], bold=True)
        for label, value in header:
            sheet.write([label, value])
        sheet.skip()
        _write_waybills(sheet, report.layout.columns, _waybill_rows(session, report, where))

    filename = f"{kind.slug}-waybills_{vehicle.number}_{first}_{last}.xlsx"
    return xlsx.build(fill), filename


def _waybill_rows(session: Session, report: KindReport, where: tuple[Any, ...]) -> Iterator[Any]:
    """Each waybill's live records in order; a waybill without records yields one row with no record."""
    W, R = report.kind.waybill, report.kind.record
    record_keys = [c.record for c in report.layout.columns if c.record and c.record not in _WAYBILL_KEYS]
    query = (
        select(
            W.id.label("waybill_id"), W.number, W.date, User.surname, User.name, User.last_name,
            *(getattr(W, key) for key in _AGGREGATES),
            R.id.label("record_id"), *(getattr(R, key) for key in record_keys),
        )
        .join(User, User.id == W.driver_id)
        .outerjoin(R, and_(R.waybill_id == W.id, R.deleted_at.is_(None)))
        .where(*where)
        .order_by(W.date, W.id, R.id)
        .execution_options(yield_per=CHUNK_ROWS)
    )  # fmt: skip
    result = session.execute(query)
    try:
        yield from result
    finally:
        result.close()


def _write_waybills(
    sheet: xlsx.Sheet, columns: tuple[schemas.ExportColumn, ...], rows: Iterator[Any]
) -> None:
    """Record rows, each waybill closed by a bold row of its aggregates."""
    styles = [c.column.style for c in columns]
    sheet.columns([c.column for c in columns])
    pending: dict[str, Any] | None = None  # the previous waybill, whose totals row is still due
    for row in rows:
        values = dict(row._mapping)
        values["driver"] = _full_name(row.surname, row.name, row.last_name)
        if pending is not None and pending["waybill_id"] != row.waybill_id:
            sheet.write([pending.get(c.total) if c.total else None for c in columns], styles, bold=True)
        if row.record_id is not None:
            sheet.write([values.get(c.record) if c.record else None for c in columns], styles)
        pending = {**values, "total_label": schemas.TOTAL_LABEL}
    if pending is not None:
        sheet.write([pending.get(c.total) if c.total else None for c in columns], styles, bold=True)


# Drivers report -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DriverFilters:
    """The drivers report's filters, all optional."""

    driver: int | None
    first: dt.date | None
    last: dt.date | None


class Trip(NamedTuple):
    """One row of the drivers report, with the keys it is sorted by."""

    date: dt.date
    surname: str
    name: str
    last_name: str
    record_id: int
    kind_index: int
    car_type: str
    car_number: str
    route_or_target: str
    distance: int
    fuel_used_fact: Decimal
    fuel_used_normal: Decimal
    car_type_label: str

    @property
    def driver(self) -> str:
        """ "Surname Name Patronymic"."""
        return _full_name(self.surname, self.name, self.last_name)


def parse_driver_filters(driver: str | None, date_from: str | None, date_to: str | None) -> DriverFilters:
    """Parse the optional `driver`, `from` and `to`; empty values mean no filter."""
    return DriverFilters(
        driver=parse_id(driver, messages.BAD_DRIVER) if driver else None,
        first=parse_day(date_from) if date_from else None,
        last=parse_day(date_to) if date_to else None,
    )


def drivers_report(
    session: Session, *, driver: str | None, date_from: str | None, date_to: str | None
) -> list[DriverReportRow]:
    """Trips of live waybills of both kinds, by date, then driver, then record id."""
    filters = parse_driver_filters(driver, date_from, date_to)
    return [
        DriverReportRow(
            date=trip.date,
            driver=trip.driver,
            car_type=trip.car_type,
            car_number=trip.car_number,
            route_or_target=trip.route_or_target,
            distance=trip.distance,
            fuel_used_fact=f"{trip.fuel_used_fact:.3f}",
            fuel_used_normal=f"{trip.fuel_used_normal:.3f}",
        )
        for trip in trips(session, filters)
    ]


def drivers_report_excel(
    session: Session, *, driver: str | None, date_from: str | None, date_to: str | None
) -> tuple[IO[bytes], str]:
    """The drivers report as an xlsx, with a totals row."""
    filters = parse_driver_filters(driver, date_from, date_to)
    who = "все"
    if filters.driver is not None:
        user = session.get(User, filters.driver)
        who = user.full_name if user is not None else str(filters.driver)

    def fill(workbook: Any) -> None:
        sheet = xlsx.Sheet(workbook, schemas.DRIVERS_SHEET_NAME)
        sheet.write([schemas.DRIVERS_TITLE], bold=True)
        sheet.write(["Водитель", who])
        sheet.write(["Период", period_text(filters.first, filters.last)])
        sheet.skip()
        sheet.columns(schemas.DRIVERS_COLUMNS)
        styles = [column.style for column in schemas.DRIVERS_COLUMNS]
        distance, fact, normal = 0, Decimal(0), Decimal(0)
        for trip in trips(session, filters):
            sheet.write(
                [trip.date, trip.driver, trip.car_type_label, trip.car_number, trip.route_or_target,
                 trip.distance, trip.fuel_used_fact, trip.fuel_used_normal],
                styles,
            )  # fmt: skip
            distance += trip.distance
            fact += trip.fuel_used_fact
            normal += trip.fuel_used_normal
        total = [schemas.GRAND_TOTAL_LABEL, None, None, None, None, distance, fact, normal]
        sheet.write(total, styles, bold=True)

    days = "".join(f"_{day}" for day in (filters.first, filters.last) if day)
    return xlsx.build(fill), f"drivers-report{days}.xlsx"


def trips(session: Session, filters: DriverFilters) -> Iterator[Trip]:
    """Both kinds' trips merged in report order, each kind streamed in chunks."""
    streams = [_kind_trips(session, report, index, filters) for index, report in enumerate(REPORTS)]
    return heapq.merge(*streams)


def _kind_trips(session: Session, report: KindReport, index: int, filters: DriverFilters) -> Iterator[Trip]:
    W, C, R = report.kind.waybill, report.kind.car, report.kind.record
    route, distance = report.route, report.distance
    names: list[Any] = [User.surname, User.name, User.last_name]
    if session.get_bind().dialect.name == "postgresql":
        # Byte order of UTF-8 is code-point order: the order Python's merge compares names in.
        names = [column.collate("C") for column in names]
    query = (
        select(W.date, User.surname, User.name, User.last_name, R.id, C.number, route, distance, R.fuel_used,
               R.fuel_used_normal)
        .join(W, W.id == R.waybill_id)
        .join(User, User.id == W.driver_id)
        .join(C, C.id == W.car_id)
        .where(R.deleted_at.is_(None), W.deleted_at.is_(None))
        .order_by(W.date, *names, R.id)
        .execution_options(yield_per=CHUNK_ROWS)
    )  # fmt: skip
    if filters.driver is not None:
        query = query.where(W.driver_id == filters.driver)
    if filters.first is not None:
        query = query.where(W.date >= filters.first)
    if filters.last is not None:
        query = query.where(W.date <= filters.last)
    car_type, label = report.car_type, report.car_type_label
    result = session.execute(query)
    try:
        for day, surname, name, last_name, record_id, number, target, km, fact, normal in result:
            yield Trip(
                day,
                surname,
                name,
                last_name,
                record_id,
                index,
                car_type,
                number,
                target,
                km,
                fact,
                normal,
                label,
            )
    finally:
        result.close()
