"""Excel exports of waybills (`…-waybills/export-excel/`) and the drivers report (`users/drivers-report…`)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from opsuite.core import xlsx
from opsuite.core.web.deps import SessionDep
from opsuite.waybills.auth.service import Actor
from opsuite.waybills.deps import Require
from opsuite.waybills.reports import schemas, service
from opsuite.waybills.reports.schemas import DriverReportRow

router = APIRouter()


# Parameters stay strings so that a bad value gets the original's message rather than a 422.
def _param(description: str, example: str, alias: str | None = None) -> Any:
    return Query(
        alias=alias,
        description=description,
        examples=[example],
        openapi_examples={"example": {"summary": example, "value": example}},
    )


# The examples name a car, a driver and a month that the demo data has trips for.
Car = Annotated[str | None, _param("Id машины", "1")]
Driver = Annotated[str | None, _param("Id водителя (пользователя); без него — все водители", "3")]
DateFrom = Annotated[str | None, _param("Первая дата, YYYY-MM-DD, включительно", "2025-01-01", "from")]
DateTo = Annotated[str | None, _param("Последняя дата, YYYY-MM-DD, включительно", "2025-01-31", "to")]


def _add_export(report: service.KindReport) -> None:
    kind = report.kind

    @router.get(
        f"/{kind.slug}-waybills/export-excel/",
        tags=[kind.title],
        summary="Export a car's waybills to Excel",
        response_class=Response,
        responses=schemas.EXPORT_RESPONSES,
    )
    def export_excel(
        session: SessionDep,
        _: Annotated[Actor, Depends(Require(kind.download_flag))],
        car: Car = None,
        date_from: DateFrom = None,
        date_to: DateTo = None,
    ) -> Response:
        """Live waybills of the car dated within [from, to] with their records, one totals row per waybill."""
        stream, filename = service.export_waybills(
            session, report=report, car=car, date_from=date_from, date_to=date_to
        )
        return xlsx.response(stream, filename)


for _report in service.REPORTS:
    _add_export(_report)


@router.get(
    "/users/drivers-report/",
    response_model=list[DriverReportRow],
    tags=["users"],
    summary="Trips of drivers",
    responses=schemas.DRIVERS_REPORT_RESPONSES,
)
def drivers_report(
    session: SessionDep,
    _: Annotated[Actor, Depends(Require("view_drivers_reports"))],
    driver: Driver = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
) -> Any:
    """Records of live waybills of both kinds, by date, then driver, then record id."""
    return service.drivers_report(session, driver=driver, date_from=date_from, date_to=date_to)


@router.get(
    "/users/drivers-report-excel/",
    tags=["users"],
    summary="Trips of drivers as Excel",
    response_class=Response,
    responses=schemas.DRIVERS_EXCEL_RESPONSES,
)
def drivers_report_excel(
    session: SessionDep,
    _: Annotated[Actor, Depends(Require("can_download_drivers_reports"))],
    driver: Driver = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
) -> Response:
    """The drivers report as an xlsx with a totals row."""
    stream, filename = service.drivers_report_excel(
        session, driver=driver, date_from=date_from, date_to=date_to
    )
    return xlsx.response(stream, filename)
