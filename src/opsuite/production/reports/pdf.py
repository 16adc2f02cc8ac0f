"""The PDF report: reportlab platypus with DejaVu Sans (shipped with the package) for Cyrillic."""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from opsuite.production.reports.content import INFO, PRODUCT_COLUMNS, PRODUCTS, STATS, Report

FONTS = Path(__file__).with_name("fonts")
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
_registered = threading.Lock()
_done = False


def register_fonts() -> None:
    """Register the shipped TTFs once per process (the standard 14 PDF fonts have no Cyrillic)."""
    global _done
    with _registered:
        if _done:
            return
        pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(FONTS / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
        _done = True


def _styles() -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName=BOLD, fontSize=15, leading=19, spaceAfter=10),
        "heading": ParagraphStyle(
            "heading", fontName=BOLD, fontSize=12, leading=15, spaceBefore=10, spaceAfter=6
        ),
        "cell": ParagraphStyle("cell", fontName=REGULAR, fontSize=9, leading=11),
        "small": ParagraphStyle("small", fontName=REGULAR, fontSize=7.5, leading=9),
        "note": ParagraphStyle("note", fontName=REGULAR, fontSize=9, leading=11),
    }


def _grid(header: bool) -> TableStyle:
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        commands += [("FONTNAME", (0, 0), (-1, 0), BOLD), ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey)]
    else:
        commands += [("FONTNAME", (0, 0), (0, -1), BOLD)]
    return TableStyle(commands)


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render(report: Report, target: Path) -> None:
    """Write the PDF to `target`; byte-identical for identical input (reportlab's invariant mode)."""
    register_fonts()
    styles = _styles()
    doc = SimpleDocTemplate(
        str(target),
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=report.title,
        author="opsuite production",
        invariant=1,
    )
    cell = styles["cell"]
    story: list[object] = [Paragraph(_escape(report.title), styles["title"])]

    story.append(Paragraph(INFO, styles["heading"]))
    info = [[Paragraph(_escape(k), cell), Paragraph(_escape(v), cell)] for k, v in report.info]
    story.append(Table(info, colWidths=[5.5 * cm, 11.5 * cm], style=_grid(header=False)))

    story.append(Paragraph(PRODUCTS, styles["heading"]))
    if report.products:
        small = styles["small"]
        rows = [list(PRODUCT_COLUMNS)] + [
            [Paragraph(ident, small), Paragraph(_escape(code), cell), flag, moment]
            for ident, code, flag, moment in report.products
        ]
        story.append(
            LongTable(
                rows,
                colWidths=[5.6 * cm, 5.4 * cm, 2.6 * cm, 3.4 * cm],
                repeatRows=1,
                style=_grid(header=True),
            )
        )
    else:
        story.append(Paragraph("Продукция отсутствует", styles["note"]))

    story.append(Paragraph(STATS, styles["heading"]))
    stats = [[Paragraph(_escape(k), cell), _number(v)] for k, v in report.stats]
    story.append(Table(stats, colWidths=[8 * cm, 9 * cm], style=_grid(header=False)))
    story.append(Spacer(1, 0.4 * cm))
    story.append(Paragraph("Время указано в UTC.", styles["note"]))
    doc.build(story)


def _number(value: int | float) -> str:
    return str(value) if isinstance(value, int) else f"{value:.2f}"
