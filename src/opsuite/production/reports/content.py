"""What a batch report says, computed once for both formats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from opsuite.production.batches.models import Batch
from opsuite.production.work_centers.models import WorkCenter

INFO = "Информация о партии"
PRODUCTS = "Продукция"
STATS = "Статистика"
PRODUCT_COLUMNS = ("ID", "Уникальный код", "Агрегирована", "Дата агрегации")
NONE = "—"


@dataclass(frozen=True)
class Report:
    """The three sections as text pairs and rows."""

    title: str
    info: list[tuple[str, str]]
    products: list[tuple[str, str, str, str]]
    stats: list[tuple[str, int | float]]


def _moment(value: datetime | None) -> str:
    return value.strftime("%d.%m.%Y %H:%M") if value is not None else NONE


def build(batch: Batch, center: WorkCenter, *, now: datetime) -> Report:
    """The report of `batch` (with its products loaded) at `now`; times in UTC."""
    products = list(batch.products)
    total = len(products)
    aggregated = sum(1 for product in products if product.is_aggregated)
    until = batch.closed_at or now
    hours = (until - batch.shift_start).total_seconds() / 3600
    speed = round(aggregated / hours, 2) if hours > 0 else 0.0
    percent = round(aggregated / total * 100, 2) if total else 0.0
    return Report(
        title=f"Отчёт о партии №{batch.batch_number} от {batch.batch_date:%d.%m.%Y}",
        info=[
            ("Номер партии", str(batch.batch_number)),
            ("Дата партии", f"{batch.batch_date:%d.%m.%Y}"),
            ("Номенклатура", batch.nomenclature),
            ("Код ЕКН", batch.ekn_code),
            ("Смена", batch.shift),
            ("Бригада", batch.team),
            ("Рабочий центр", f"{center.name} ({center.identifier})"),
            ("Задание", batch.task_description),
            ("Начало смены (UTC)", _moment(batch.shift_start)),
            ("Окончание смены (UTC)", _moment(batch.shift_end)),
            ("Статус", "Закрыта" if batch.is_closed else "Открыта"),
            ("Дата закрытия (UTC)", _moment(batch.closed_at)),
        ],
        products=[
            (
                str(product.uuid),
                product.unique_code,
                "Да" if product.is_aggregated else "Нет",
                _moment(product.aggregated_at),
            )
            for product in products
        ],
        stats=[
            ("Всего продуктов", total),
            ("Агрегировано", aggregated),
            ("Осталось", total - aggregated),
            ("Процент выполнения", percent),
            ("Средняя скорость, шт/ч", speed),
        ],
    )
