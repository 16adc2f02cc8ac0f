"""Slot abnormal reports: admins in scope read; the service admin enters by hand; equipment admins delete."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from opsuite.powerbank import access
from opsuite.powerbank.abnormal.schemas import AbnormalReportCreate
from opsuite.powerbank.access import Caller, Permission
from opsuite.powerbank.audit import service as audit
from opsuite.powerbank.envelope import Page
from opsuite.powerbank.errors import BadRequest, NotFound
from opsuite.powerbank.reports.models import SlotAbnormalReport
from opsuite.powerbank.stations.models import Station
from opsuite.powerbank.stations.service import station_in_reach
from opsuite.powerbank.vocab import AbnormalEvent

REPORT_NOT_FOUND = "Отчет об аномалии слота не найден"
SLOT_OUT_OF_RANGE = "Номер слота вне диапазона станции"
REPORT_CREATED = "Отчет об аномалии слота создан"
REPORT_DELETED = "Отчет об аномалии слота удален"
EVENT_TEXT = {
    AbnormalEvent.LEFT_WITHOUT_UNLOCK.value: "Повербанк извлечен без команды разблокировки",
    AbnormalEvent.RETURN_WITHOUT_BANK.value: "Обнаружен возврат без повербанка",
}


@dataclass(frozen=True)
class Filters:
    """What a list of reports narrows to; dates are days of the configured zone, both included."""

    station_id: int | None = None
    event_type: AbnormalEvent | None = None
    start_date: date | None = None
    end_date: date | None = None


def _scoped(session: Session, caller: Caller) -> Select[SlotAbnormalReport]:
    access.require(caller, Permission.READ_ALL)
    scope = access.scope_of(session, caller)
    query = select(SlotAbnormalReport)
    if not scope.everything:
        query = query.join(Station, Station.id == SlotAbnormalReport.station_id).where(
            Station.org_unit_id.in_(scope.units)
        )
    return query


def _day_start(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, zone)


def list_reports(
    session: Session, *, caller: Caller, page: Page, filters: Filters, zone: ZoneInfo
) -> tuple[list[SlotAbnormalReport], int]:
    """Reports of the scope, newest first."""
    query = _scoped(session, caller)
    if filters.station_id is not None:
        query = query.where(SlotAbnormalReport.station_id == filters.station_id)
    if filters.event_type is not None:
        query = query.where(SlotAbnormalReport.event_type == filters.event_type.value)
    if filters.start_date is not None:
        query = query.where(SlotAbnormalReport.reported_at >= _day_start(filters.start_date, zone))
    if filters.end_date is not None:
        end = _day_start(filters.end_date + timedelta(days=1), zone)
        query = query.where(SlotAbnormalReport.reported_at < end)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    ordered = query.order_by(SlotAbnormalReport.reported_at.desc(), SlotAbnormalReport.id.desc())
    return list(session.scalars(ordered.offset(page.offset).limit(page.limit))), total


def station_reports(
    session: Session, *, caller: Caller, station_id: int, limit: int
) -> list[SlotAbnormalReport]:
    """The newest reports of one station in reach."""
    access.require(caller, Permission.READ_ALL)
    station_in_reach(session, caller, station_id)
    query = select(SlotAbnormalReport).where(SlotAbnormalReport.station_id == station_id)
    ordered = query.order_by(SlotAbnormalReport.reported_at.desc(), SlotAbnormalReport.id.desc())
    return list(session.scalars(ordered.limit(limit)))


def statistics(session: Session, *, caller: Caller, now: datetime, zone: ZoneInfo) -> dict[str, int]:
    """Totals of the scope: reports, stations with reports, reports today (configured zone), per event."""
    reports = _scoped(session, caller).subquery()
    today = _day_start(now.astimezone(zone).date(), zone)
    total = session.scalar(select(func.count()).select_from(reports)) or 0
    stations = session.scalar(select(func.count(func.distinct(reports.c.station_id)))) or 0
    recent = (
        session.scalar(select(func.count()).select_from(reports).where(reports.c.reported_at >= today)) or 0
    )
    by_event: dict[str, int] = dict(
        session.execute(select(reports.c.event_type, func.count()).group_by(reports.c.event_type))
        .tuples()
        .all()
    )
    return {
        "total_reports": total,
        "stations_with_reports": stations,
        "reports_today": recent,
        "event_type_1": by_event.get(AbnormalEvent.LEFT_WITHOUT_UNLOCK.value, 0),
        "event_type_2": by_event.get(AbnormalEvent.RETURN_WITHOUT_BANK.value, 0),
    }


def get_report(session: Session, *, caller: Caller, report_id: int) -> SlotAbnormalReport:
    """One report of the scope; 404 unknown, 403 outside."""
    access.require(caller, Permission.READ_ALL)
    report = session.get(SlotAbnormalReport, report_id)
    if report is None:
        raise NotFound(REPORT_NOT_FOUND)
    station_in_reach(session, caller, report.station_id)
    return report


def create_report(
    session: Session, *, caller: Caller, new: AbnormalReportCreate, now: datetime
) -> SlotAbnormalReport:
    """A report entered by the service admin; 400 for a slot the station does not have."""
    access.require(caller, Permission.SERVICE)
    station = station_in_reach(session, caller, new.station_id)
    if new.slot_number > station.slots_declared:
        raise BadRequest(SLOT_OUT_OF_RANGE)
    report = SlotAbnormalReport(
        station_id=station.id,
        slot_number=new.slot_number,
        terminal_id=new.terminal_id.upper(),
        event_type=new.event_type.value,
        reported_at=new.when(now),
        created_at=now,
    )
    session.add(report)
    session.flush()
    audit.record(
        session,
        actor_id=caller.user_id,
        action="create",
        entity="slot_abnormal_report",
        entity_id=report.id,
        at=now,
    )
    return report


def delete_report(session: Session, *, caller: Caller, report_id: int, now: datetime) -> None:
    """Remove a report (group admin and above, in scope)."""
    access.require(caller, Permission.MANAGE_EQUIPMENT)
    report = get_report(session, caller=caller, report_id=report_id)
    session.delete(report)
    audit.record(
        session,
        actor_id=caller.user_id,
        action="delete",
        entity="slot_abnormal_report",
        entity_id=report_id,
        at=now,
    )
    session.flush()
