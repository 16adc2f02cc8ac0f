"""The xlsx report: three sheets named as the PDF's sections."""

from __future__ import annotations

from pathlib import Path

from opsuite.core.xlsx import Column, Sheet, open_workbook
from opsuite.production.reports.content import INFO, PRODUCT_COLUMNS, PRODUCTS, STATS, Report


def render(report: Report, target: Path) -> None:
    """Write the workbook to `target`."""
    workbook = open_workbook(target)
    try:
        info = Sheet(workbook, INFO)
        info.columns([Column("Поле", width=26), Column("Значение", width=50)])
        for key, value in report.info:
            info.write([key, value])

        products = Sheet(workbook, PRODUCTS)
        widths = (38, 30, 14, 18)
        products.columns(
            [Column(title, width=width) for title, width in zip(PRODUCT_COLUMNS, widths, strict=True)]
        )
        for row in report.products:
            products.write(list(row))

        stats = Sheet(workbook, STATS)
        stats.columns([Column("Показатель", width=28), Column("Значение", width=14)])
        for key, number in report.stats:
            stats.write([key, number], ["text", "int" if isinstance(number, int) else "decimal"])
    finally:
        workbook.close()
