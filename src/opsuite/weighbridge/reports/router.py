"""Routes of reports: the summary and the Excel journal over a period of the site's days."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from pydantic import AfterValidator

from opsuite.core import xlsx
from opsuite.core.text import MOMENT_MAX_YEAR, MOMENT_MIN_YEAR
from opsuite.weighbridge.deps import CurrentUser, RuntimeDep, SessionDep
from opsuite.weighbridge.errors import error_responses
from opsuite.weighbridge.reports import service
from opsuite.weighbridge.reports.schemas import SummaryOut

router = APIRouter(prefix="/reports", tags=["reports"])


def _in_range(value: date) -> date:
    # Day bounds are converted to UTC; a year past the range would overflow there.
    if not MOMENT_MIN_YEAR <= value.year <= MOMENT_MAX_YEAR:
        raise ValueError(f"год должен быть от {MOMENT_MIN_YEAR} до {MOMENT_MAX_YEAR}")
    return value


Day = Annotated[
    date, AfterValidator(_in_range), Query(description="День по времени площадки, YYYY-MM-DD (включительно)")
]


@router.get("/summary", response_model=SummaryOut, responses=error_responses(400, 401), summary="Сводка")
def summary(
    date_from: Day, date_to: Day, _user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> SummaryOut:
    """`total_trucks` — записи хотя бы с одним взвешиванием; веса ENTRANCE и EXIT суммируются, кг."""
    return service.summary(session, date_from=date_from, date_to=date_to, zone=runtime.zone)


@router.get(
    "/export/excel",
    response_class=StreamingResponse,
    responses={
        200: {"content": {xlsx.XLSX_MEDIA_TYPE: {}}, "description": "Файл xlsx"},
        **error_responses(400, 401),
    },
    summary="Excel-отчёт",
)
def export_excel(
    date_from: Day, date_to: Day, _user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> StreamingResponse:
    """Строка на запись: въезд, выезд, тара, брутто, нетто, продукт, оператор, время; строка «Итого»."""
    stream = service.excel(session, date_from=date_from, date_to=date_to, zone=runtime.zone)
    return xlsx.response(stream, f"weighings_{date_from:%Y-%m-%d}_{date_to:%Y-%m-%d}.xlsx")
