"""Reports over a period: the summary totals and the Excel journal with a totals row."""

from __future__ import annotations

from datetime import date, datetime
from typing import IO, Any
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from opsuite.core import xlsx
from opsuite.weighbridge.products.models import Product
from opsuite.weighbridge.reports.schemas import SummaryOut
from opsuite.weighbridge.reports.visits import in_period, visit_rows
from opsuite.weighbridge.trucks.models import ENTRANCE, EXIT, Action, Truck
from opsuite.weighbridge.users.models import User

COLUMNS = [
    xlsx.Column("№", "int", 6),
    xlsx.Column("Номер машины", width=14),
    xlsx.Column("Продукт", width=18),
    xlsx.Column("Въезд, кг", "decimal", 12),
    xlsx.Column("Выезд, кг", "decimal", 12),
    xlsx.Column("Тара, кг", "decimal", 12),
    xlsx.Column("Брутто, кг", "decimal", 12),
    xlsx.Column("Нетто, кг", "decimal", 12),
    xlsx.Column("Оператор", width=16),
    xlsx.Column("Время въезда", width=17),
    xlsx.Column("Время выезда", width=17),
]
STYLES: list[xlsx.Style] = [column.style for column in COLUMNS]
TOTAL_STYLES: list[xlsx.Style] = ["text", "text", "text", *STYLES[3:8]]


def summary(session: Session, *, date_from: date, date_to: date, zone: ZoneInfo) -> SummaryOut:
    """Visits of the period with at least one weighing, and the sums of their ENTRANCE and EXIT weights."""

    def weights(kind: str) -> Any:
        return func.coalesce(func.sum(case((Action.action_type == kind, Action.weight), else_=0.0)), 0.0)

    # A visit has at most one weighing of each kind (a unique constraint), so the sums count each once.
    totals = (
        select(func.count(func.distinct(Action.truck_id)), weights(ENTRANCE), weights(EXIT))
        .join(Truck, Truck.id == Action.truck_id)
        .where(*in_period(date_from, date_to, zone))
    )
    count, weight_in, weight_out = session.execute(totals).one()
    return SummaryOut(
        total_trucks=count, total_weight_in=float(weight_in), total_weight_out=float(weight_out)
    )


def _moment(value: datetime | None, zone: ZoneInfo) -> str | None:
    return None if value is None else value.astimezone(zone).strftime("%d.%m.%Y %H:%M")


def excel(session: Session, *, date_from: date, date_to: date, zone: ZoneInfo) -> IO[bytes]:
    """The journal of the period as an xlsx file, one row per visit and a totals row, built streaming."""
    products = dict(session.execute(select(Product.id, Product.name)).tuples().all())
    operators = dict(session.execute(select(User.id, User.phone_number)).tuples().all())
    rows = visit_rows(session, date_from, date_to, zone)

    def fill(workbook: Any) -> None:
        sheet = xlsx.Sheet(workbook, "Взвешивания")
        sheet.write([f"Журнал взвешиваний {date_from:%d.%m.%Y} — {date_to:%d.%m.%Y}"], bold=True)
        sheet.skip()
        sheet.columns(COLUMNS)
        sums = [0.0] * 5
        count = 0
        for count, row in enumerate(rows, start=1):
            weights = [row.entrance, row.exit, row.tare, row.gross, row.net]
            sums = [total + (value or 0.0) for total, value in zip(sums, weights, strict=True)]
            sheet.write(
                [
                    count,
                    row.truck_number,
                    products.get(row.product_id) if row.product_id else None,
                    *weights,
                    operators.get(row.operator_id) if row.operator_id else None,
                    _moment(row.entrance_at, zone),
                    _moment(row.exit_at, zone),
                ],
                STYLES,
            )
        sheet.write(["Итого", f"машин: {count}", None, *sums], TOTAL_STYLES, bold=True)

    return xlsx.build(fill)
