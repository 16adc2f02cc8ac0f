"""Routes of slot abnormal reports: `/api/slot-abnormal-reports` (the client reads `reports`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Path, Query

from opsuite.core.fields import MAX_ID
from opsuite.powerbank.abnormal import service
from opsuite.powerbank.abnormal.schemas import AbnormalReportCreate
from opsuite.powerbank.deps import CallerDep, RuntimeDep, SessionDep
from opsuite.powerbank.envelope import MAX_LIMIT, Page, mirrored, ok, page_params, paginated
from opsuite.powerbank.errors import error_responses
from opsuite.powerbank.reports.models import SlotAbnormalReport
from opsuite.powerbank.timefmt import shown
from opsuite.powerbank.vocab import AbnormalEvent

router = APIRouter(prefix="/api/slot-abnormal-reports", tags=["Аномалии слотов"])
PageDep50 = Annotated[Page, Depends(page_params(50))]
IdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]
ReportIdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="Id отчета")]
ERRORS = error_responses(400, 401, 403, 404)


def report_row(report: SlotAbnormalReport, zone: ZoneInfo) -> dict[str, Any]:
    """A report as the document shows it."""
    return {
        "report_id": report.id,
        "station_id": report.station_id,
        "slot_number": report.slot_number,
        "terminal_id": report.terminal_id,
        "event_type": report.event_type,
        "event_text": service.EVENT_TEXT.get(report.event_type),
        "reported_at": shown(report.reported_at, zone),
        "created_at": shown(report.created_at, zone),
    }


@router.get("", responses=error_responses(400, 401, 403), summary="Отчеты об аномалиях слотов")
def list_reports(
    session: SessionDep,
    caller: CallerDep,
    runtime: RuntimeDep,
    page: PageDep50,
    station_id: IdQuery = None,
    event_type: Annotated[AbnormalEvent | None, Query()] = None,
    start_date: Annotated[date | None, Query()] = None,
    end_date: Annotated[date | None, Query()] = None,
) -> dict[str, Any]:
    filters = service.Filters(station_id, event_type, start_date, end_date)
    reports, total = service.list_reports(
        session, caller=caller, page=page, filters=filters, zone=runtime.zone
    )
    rows = [report_row(report, runtime.zone) for report in reports]
    return paginated(rows, total, page, reports=rows)


@router.post("", status_code=201, responses=ERRORS, summary="Создание отчета об аномалии (сервис-админ)")
def create_report(
    body: AbnormalReportCreate, session: SessionDep, caller: CallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    report = service.create_report(session, caller=caller, new=body, now=runtime.clock.now())
    return mirrored(report_row(report, runtime.zone), service.REPORT_CREATED, "report_id")


@router.get("/statistics", responses=error_responses(400, 401, 403), summary="Статистика аномалий")
def statistics(session: SessionDep, caller: CallerDep, runtime: RuntimeDep) -> dict[str, Any]:
    figures = service.statistics(session, caller=caller, now=runtime.clock.now(), zone=runtime.zone)
    return ok(figures, statistics=figures)


@router.get("/stations/{station_id:int}", responses=ERRORS, summary="Аномалии слотов станции")
def station_reports(
    station_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    session: SessionDep,
    caller: CallerDep,
    runtime: RuntimeDep,
    limit: Annotated[int, Query(ge=1, le=2**31 - 1)] = 50,
) -> dict[str, Any]:
    reports = service.station_reports(
        session, caller=caller, station_id=station_id, limit=min(limit, MAX_LIMIT)
    )
    rows = [report_row(report, runtime.zone) for report in reports]
    return ok(rows, station_id=station_id, reports_count=len(rows), reports=rows)


@router.get("/{report_id:int}", responses=ERRORS, summary="Отчет об аномалии")
def get_report(
    report_id: ReportIdPath, session: SessionDep, caller: CallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    return ok(report_row(service.get_report(session, caller=caller, report_id=report_id), runtime.zone))


@router.delete("/{report_id:int}", responses=ERRORS, summary="Удаление отчета об аномалии")
def delete_report(
    report_id: ReportIdPath, session: SessionDep, caller: CallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    service.delete_report(session, caller=caller, report_id=report_id, now=runtime.clock.now())
    return ok({"report_id": report_id}, service.REPORT_DELETED)
