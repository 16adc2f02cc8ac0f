"""Excel exports of waybills and the drivers report: exact cells, exact rows, exact errors."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from httpx import Response
from python_calamine import CalamineWorkbook

from opsuite.core.xlsx import content_disposition
from tests.waybills.helpers import Api

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PARAMS = {"detail": "Параметры car, from и to обязательны"}
BAD_DATES = {"detail": "Неверный формат дат, используйте YYYY-MM-DD"}
BAD_CAR = {"detail": "Параметр car должен быть числом"}
EMPTY = {"detail": "Записей за указанный период не найдено"}
DENIED = {"detail": "У вас недостаточно прав для выполнения данного действия."}
PC_COLUMNS = [
    "№ путевого листа", "Дата", "Водитель", "Цель поездки", "Выезд", "Возвращение", "Одометр при выезде, км",
    "Одометр при возвращении, км", "Пробег по городу, км", "Пробег за городом, км", "Пробег всего, км",
    "Остаток при выезде, л", "Расход по норме в городе, л", "Расход по норме за городом, л",
    "Расход по норме, л", "Расход фактический, л", "Заправлено, л", "Остаток при возвращении, л",
    "Экономия, л", "Перерасход, л",
]  # fmt: skip
FT_COLUMNS = [
    "№ путевого листа", "Дата", "Водитель", "Маршрут", "Цель выезда", "Выезд", "Возвращение",
    "Одометр при выезде, км", "Одометр при возвращении, км", "Пробег, км", "Работа с насосом, мин",
    "Работа без насоса, мин", "Остаток при выезде, л", "Расход по пробегу, л", "Расход с насосом, л",
    "Расход без насоса, л", "Расход по норме, л", "Расход фактический, л", "Заправлено, л",
    "Остаток при возвращении, л", "Экономия, л", "Перерасход, л",
]  # fmt: skip
DRIVERS_COLUMNS = [
    "Дата", "Водитель", "Тип автомобиля", "Гос. номер", "Маршрут / цель", "Пробег, км",
    "Расход фактический, л", "Расход по норме, л",
]  # fmt: skip
TOTAL = "Итого по путевому листу"


def rows_of(response: Response) -> list[list[Any]]:
    """The only sheet's rows, without the empty cells that pad each row to the sheet's width."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    assert int(response.headers["content-length"]) == len(response.content)
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert len(book.sheet_names) == 1
    rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    trimmed = []
    for row in rows:
        row = list(row)
        while row and row[-1] == "":
            row.pop()
        trimmed.append(row)
    return trimmed


def d(day: str) -> dt.date:
    return dt.date.fromisoformat(day)


def t(hhmm: str) -> dt.time:
    return dt.time.fromisoformat(hhmm)


# Passenger car export -----------------------------------------------------------------------------


def _passenger_period(api: Api) -> dict[str, Any]:
    """Car А001АА54 with waybills before, inside, on the edges of and after 15-30.09.2024."""
    car = api.car("passenger", number="А001АА54")
    other = api.car("passenger")
    for car_id in (car["id"], other["id"]):
        api.norm("passenger", car_id, "summer", "2024-09-01")
        api.state("passenger", car_id, 100000, "40.000", "2024-09-01")
    driver = api.user("driver", surname="Иванов", name="Иван", last_name="Иванович")
    before = api.waybill("passenger", car["id"], driver["id"], "2024-09-14")
    first = api.waybill("passenger", car["id"], driver["id"], "2024-09-15")
    api.record("passenger", first["id"], target="Поездка в город", departure_time="08:10:00",
               arrival_time="10:00:00", distance_city_km=50, distance_area_km=0, fuel_refueled="10.000",
               fuel_used="8.000")  # fmt: skip
    # A formula-like target must reach the sheet as text, not as a formula.
    api.record("passenger", first["id"], target="=СУММ(A1:A2)", departure_time="11:00:00",
               arrival_time="12:30:00", distance_city_km=10, distance_area_km=20,
               fuel_used="3.000")  # fmt: skip
    second = api.waybill("passenger", car["id"], driver["id"], "2024-09-20")
    api.record("passenger", second["id"], target="Склад", distance_city_km=20, fuel_used="1.500")
    gone = api.record("passenger", second["id"], target="Удалённая", distance_city_km=5, fuel_used="0.500")
    api.ok("DELETE", f"passenger-car-records/{gone['id']}/", status=204)
    deleted = api.waybill("passenger", car["id"], driver["id"], "2024-09-25")
    api.record("passenger", deleted["id"], target="Удалённый лист", distance_city_km=5, fuel_used="0.500")
    api.ok("DELETE", f"passenger-car-waybills/{deleted['id']}/", status=204)
    last = api.waybill("passenger", car["id"], driver["id"], "2024-09-30")  # no records: totals only
    after = api.waybill("passenger", car["id"], driver["id"], "2024-10-01")
    api.record("passenger", after["id"], target="Позже", distance_city_km=5, fuel_used="0.500")
    foreign = api.waybill("passenger", other["id"], driver["id"], "2024-09-16")
    api.record("passenger", foreign["id"], target="Чужая машина", distance_city_km=5, fuel_used="0.500")
    assert before["number"] == "000001"
    return {"car": car, "first": first, "second": second, "last": last}


def test_passenger_export_has_the_header_the_records_and_each_waybills_totals(api: Api) -> None:
    data = _passenger_period(api)
    response = api.get(
        "passenger-car-waybills/export-excel/", params={"car": data["car"]["id"], "from": "2024-09-15",
                                                        "to": "2024-09-30"}
    )  # fmt: skip
    driver, day1, day2, day3 = "Иванов Иван Иванович", d("2024-09-15"), d("2024-09-20"), d("2024-09-30")
    blank7 = [""] * 7
    first, second, last = data["first"]["number"], data["second"]["number"], data["last"]["number"]
    assert (first, second, last) == ("000002", "000003", "000005")
    assert rows_of(response) == [
        ["Путевые листы легкового автомобиля"],
        ["Гос. номер", "А001АА54"],
        ["Марка", "Toyota"],
        ["Модель", "Camry"],
        ["Период", "15.09.2024 — 30.09.2024"],
        [],
        PC_COLUMNS,
        [first, day1, driver, "Поездка в город", t("08:10"), t("10:00"), 100000, 100050, 50, 0, 50,
         40.0, 4.5, 0.0, 4.5, 8.0, 10.0, 42.0],
        [first, day1, driver, "=СУММ(A1:A2)", t("11:00"), t("12:30"), 100050, 100080, 10, 20, 30,
         42.0, 0.9, 2.2, 3.1, 3.0, 0.0, 39.0],
        [first, day1, driver, TOTAL, *blank7, 40.0, "", "", 7.6, 11.0, 10.0, 39.0, 0.0, 3.4],
        [second, day2, driver, "Склад", t("08:00"), t("09:00"), 100080, 100100, 20, 0, 20,
         39.0, 1.8, 0.0, 1.8, 1.5, 0.0, 37.5],
        [second, day2, driver, TOTAL, *blank7, 39.0, "", "", 1.8, 1.5, 0.0, 37.5, 0.3, 0.0],
        [last, day3, driver, TOTAL, *blank7, 37.5, "", "", 0.0, 0.0, 0.0, 37.5, 0.0, 0.0],
    ]  # fmt: skip
    # The totals row carries the waybill's own aggregates, as the API answers them.
    aggregates = api.ok("GET", f"passenger-car-waybills/{data['first']['id']}/")
    assert [aggregates[k] for k in ("upon_issuance", "required_by_norm", "total_spent", "total_received",
                                    "availability_upon_delivery", "savings", "overrun")] == [
        "40.000", "7.600", "11.000", "10.000", "39.000", "0.000", "3.400"
    ]  # fmt: skip
    assert response.headers["content-disposition"] == (
        'attachment; filename="passenger-car-waybills_A001AA54_2024-09-15_2024-09-30.xlsx"; '
        "filename*=UTF-8''passenger-car-waybills_%D0%90001%D0%90%D0%9054_2024-09-15_2024-09-30.xlsx"
    )


def test_fire_truck_export_lists_pump_times_and_norm_parts(api: Api) -> None:
    truck = api.car("fire", number="A101AA54")
    api.norm("fire", truck["id"], "winter", "2024-09-01")
    api.state("fire", truck["id"], 20000, "150.000", "2024-09-01")
    driver = api.user("driver", surname="Петров", name="Пётр", last_name="Петрович")
    card = api.waybill("fire", truck["id"], driver["id"], "2024-09-15", season="winter")
    api.record("fire", card["id"], target="Выезд на пожар", driving_route="Депо — ул. Ленина",
               departure_time="14:00:00", arrival_time="15:30:00", odometer_after=20090, time_with_pump=30,
               time_without_pump=15, fuel_refueled="20.000", fuel_used="25.000")  # fmt: skip
    response = api.get(f"fire-truck-waybills/export-excel/?car={truck['id']}&from=2024-09-15&to=2024-09-15")
    name, day = "Петров Пётр Петрович", d("2024-09-15")
    assert rows_of(response) == [
        ["Эксплуатационные карточки пожарного автомобиля"],
        ["Гос. номер", "A101AA54"],
        ["Марка", "КАМАЗ"],
        ["Модель", "43118"],
        ["Тип", "АЦ-3,2-40"],
        ["Период", "15.09.2024 — 15.09.2024"],
        [],
        FT_COLUMNS,
        ["000001", day, name, "Депо — ул. Ленина", "Выезд на пожар", t("14:00"), t("15:30"), 20000, 20090,
         90, 30, 15, 150.0, 59.13, 7.5, 2.25, 68.88, 25.0, 20.0, 145.0],
        ["000001", day, name, TOTAL, *[""] * 8, 150.0, "", "", "", 68.88, 25.0, 20.0, 145.0, 43.88, 0.0],
    ]  # fmt: skip
    assert response.headers["content-disposition"] == (
        'attachment; filename="fire-truck-waybills_A101AA54_2024-09-15_2024-09-15.xlsx"; '
        "filename*=UTF-8''fire-truck-waybills_A101AA54_2024-09-15_2024-09-15.xlsx"
    )


@pytest.mark.parametrize("slug", ["passenger-car", "fire-truck"])
@pytest.mark.parametrize(
    ("query", "status", "body"),
    [
        ("", 400, PARAMS),
        ("?car=1&from=2024-09-01", 400, PARAMS),
        ("?car=1&to=2024-09-30", 400, PARAMS),
        ("?from=2024-09-01&to=2024-09-30", 400, PARAMS),
        ("?car=&from=2024-09-01&to=2024-09-30", 400, PARAMS),
        ("?car=1&from=01.09.2024&to=2024-09-30", 400, BAD_DATES),
        ("?car=1&from=2024-09-01&to=2024-02-30", 400, BAD_DATES),
        ("?car=1&from=2024-9-1&to=2024-09-30", 400, BAD_DATES),
        ("?car=1&from=20240901&to=2024-09-30", 400, BAD_DATES),
        ("?car=abc&from=2024-09-01&to=2024-09-30", 400, BAD_CAR),
        ("?car=1.5&from=2024-09-01&to=2024-09-30", 400, BAD_CAR),
        ("?car=1_0&from=2024-09-01&to=2024-09-30", 400, BAD_CAR),
        ("?car=%20" + "1&from=2024-09-01&to=2024-09-30", 400, BAD_CAR),
        ("?car=0&from=2024-09-01&to=2024-09-30", 400, BAD_CAR),
        ("?car=-1&from=2024-09-01&to=2024-09-30", 400, BAD_CAR),
        ("?car=2147483648&from=2024-09-01&to=2024-09-30", 400, BAD_CAR),
        ("?car=99999999999999999999999&from=2024-09-01&to=2024-09-30", 400, BAD_CAR),
        ("?car=" + "9" * 5000 + "&from=2024-09-01&to=2024-09-30", 400, BAD_CAR),
        ("?car=2147483647&from=2024-09-01&to=2024-09-30", 404, EMPTY),
    ],
)
def test_export_errors(api: Api, slug: str, query: str, status: int, body: dict[str, str]) -> None:
    response = api.get(f"{slug}-waybills/export-excel/{query}")
    assert (response.status_code, response.json()) == (status, body)


@pytest.mark.parametrize("kind", ["passenger", "fire"])
def test_export_is_404_without_live_waybills_of_that_car_in_the_period(api: Api, kind: str) -> None:
    slug = "passenger-car" if kind == "passenger" else "fire-truck"
    car, other = api.car(kind), api.car(kind)
    driver = api.user("driver")
    api.waybill(kind, car["id"], driver["id"], "2024-08-31")
    api.waybill(kind, car["id"], driver["id"], "2024-10-01")
    api.waybill(kind, other["id"], driver["id"], "2024-09-10")
    deleted = api.waybill(kind, car["id"], driver["id"], "2024-09-10")
    api.ok("DELETE", f"{slug}-waybills/{deleted['id']}/", status=204)
    url = f"{slug}-waybills/export-excel/?car={car['id']}&from=2024-09-01&to=2024-09-30"
    response = api.get(url)
    assert (response.status_code, response.json()) == (404, EMPTY)
    reversed_period = f"{slug}-waybills/export-excel/?car={car['id']}&from=2024-10-01&to=2024-08-31"
    assert api.get(reversed_period).json() == EMPTY
    one_day = f"{slug}-waybills/export-excel/?car={car['id']}&from=2024-10-01&to=2024-10-01"
    assert api.get(one_day).status_code == 200


# Drivers report -----------------------------------------------------------------------------------


def _drivers_period(api: Api) -> dict[str, Any]:
    """Two drivers with trips in both kinds of car; a deleted record and a deleted waybill."""
    car = api.car("passenger", number="А777АА54")
    truck = api.car("fire", number="Х111РУ54")
    api.norm("passenger", car["id"], "summer", "2024-09-01")
    api.state("passenger", car["id"], 100000, "40.000", "2024-09-01")
    api.norm("fire", truck["id"], "summer", "2024-09-01")
    api.state("fire", truck["id"], 20000, "150.000", "2024-09-01")
    petrov = api.user("driver", surname="Петров", name="Пётр", last_name="Петрович")
    alekseev = api.user("driver", surname="Алексеев", name="Алексей", last_name="Алексеевич")

    card = api.waybill("fire", truck["id"], petrov["id"], "2024-09-14")
    api.record("fire", card["id"], odometer_after=20010, fuel_used="5.000")
    card = api.waybill("fire", truck["id"], alekseev["id"], "2024-09-15")
    api.record("fire", card["id"], driving_route="Маршрут 1", target="Учения", odometer_after=20040,
               time_with_pump=30, fuel_used="10.000")  # fmt: skip
    card = api.waybill("fire", truck["id"], petrov["id"], "2024-09-15")
    api.record("fire", card["id"], odometer_after=20060, fuel_used="8.000")
    sheet = api.waybill("passenger", car["id"], petrov["id"], "2024-09-15")
    api.record("passenger", sheet["id"], target="Поездка в город", distance_city_km=50,
               fuel_refueled="10.000", fuel_used="8.000")  # fmt: skip
    api.record("passenger", sheet["id"], target="Склад", distance_city_km=10, distance_area_km=20,
               fuel_used="3.000")  # fmt: skip
    gone = api.record("passenger", sheet["id"], target="Удалённая", fuel_used="0.500")
    api.ok("DELETE", f"passenger-car-records/{gone['id']}/", status=204)
    deleted = api.waybill("passenger", car["id"], alekseev["id"], "2024-09-16")
    api.record("passenger", deleted["id"], target="Удалённый лист", fuel_used="0.500")
    api.ok("DELETE", f"passenger-car-waybills/{deleted['id']}/", status=204)
    sheet = api.waybill("passenger", car["id"], alekseev["id"], "2024-10-02")
    api.record("passenger", sheet["id"], target="Офис", distance_city_km=12, fuel_used="1.000")
    return {"petrov": petrov["id"], "alekseev": alekseev["id"]}


def _row(day: str, driver: str, car_type: str, route: str, km: int, fact: str, normal: str) -> dict[str, Any]:
    number = "А777АА54" if car_type == "passenger" else "Х111РУ54"
    return {"date": day, "driver": driver, "car_type": car_type, "car_number": number,
            "route_or_target": route, "distance": km, "fuel_used_fact": fact,
            "fuel_used_normal": normal}  # fmt: skip


PETROV, ALEKSEEV = "Петров Пётр Петрович", "Алексеев Алексей Алексеевич"
ALL_TRIPS = [
    _row("2024-09-14", PETROV, "fire_truck", "Выезд", 10, "5.000", "6.570"),
    _row("2024-09-15", ALEKSEEV, "fire_truck", "Маршрут 1", 30, "10.000", "27.210"),
    _row("2024-09-15", PETROV, "passenger", "Поездка в город", 50, "8.000", "4.500"),
    _row("2024-09-15", PETROV, "passenger", "Склад", 30, "3.000", "3.100"),
    _row("2024-09-15", PETROV, "fire_truck", "Выезд", 20, "8.000", "13.140"),
    _row("2024-10-02", ALEKSEEV, "passenger", "Офис", 12, "1.000", "1.080"),
]


def test_drivers_report_lists_trips_by_date_then_driver_then_record(api: Api) -> None:
    ids = _drivers_period(api)
    assert api.ok("GET", "users/drivers-report/") == ALL_TRIPS
    assert api.ok("GET", "users/drivers-report/?driver=&from=&to=") == ALL_TRIPS
    assert api.ok("GET", f"users/drivers-report/?driver={ids['petrov']}") == [
        ALL_TRIPS[0], *ALL_TRIPS[2:5]
    ]  # fmt: skip
    assert api.ok("GET", "users/drivers-report/?from=2024-09-15&to=2024-09-15") == ALL_TRIPS[1:5]
    assert api.ok("GET", "users/drivers-report/?from=2024-09-16") == ALL_TRIPS[5:]
    assert api.ok("GET", "users/drivers-report/?to=2024-09-14") == ALL_TRIPS[:1]
    assert api.ok("GET", f"users/drivers-report/?driver={ids['alekseev']}&to=2024-09-30") == ALL_TRIPS[1:2]
    assert api.ok("GET", "users/drivers-report/?driver=2147483647") == []


def test_drivers_report_excel_has_the_same_rows_and_a_totals_row(api: Api) -> None:
    ids = _drivers_period(api)
    response = api.get(f"users/drivers-report-excel/?driver={ids['petrov']}&from=2024-09-15&to=2024-09-30")
    assert rows_of(response) == [
        ["Отчёт по водителям"],
        ["Водитель", PETROV],
        ["Период", "15.09.2024 — 30.09.2024"],
        [],
        DRIVERS_COLUMNS,
        [d("2024-09-15"), PETROV, "Легковой", "А777АА54", "Поездка в город", 50, 8.0, 4.5],
        [d("2024-09-15"), PETROV, "Легковой", "А777АА54", "Склад", 30, 3.0, 3.1],
        [d("2024-09-15"), PETROV, "Пожарный", "Х111РУ54", "Выезд", 20, 8.0, 13.14],
        ["Итого", "", "", "", "", 100, 19.0, 20.74],
    ]
    assert response.headers["content-disposition"] == (
        'attachment; filename="drivers-report_2024-09-15_2024-09-30.xlsx"; '
        "filename*=UTF-8''drivers-report_2024-09-15_2024-09-30.xlsx"
    )
    everything = rows_of(api.get("users/drivers-report-excel/"))
    assert everything[:3] == [["Отчёт по водителям"], ["Водитель", "все"], ["Период", "за всё время"]]
    assert [row[1] for row in everything[5:-1]] == [trip["driver"] for trip in ALL_TRIPS]
    assert everything[-1] == ["Итого", "", "", "", "", 152, 35.0, 55.6]
    assert api.get("users/drivers-report-excel/").headers["content-disposition"] == (
        "attachment; filename=\"drivers-report.xlsx\"; filename*=UTF-8''drivers-report.xlsx"
    )


def test_drivers_report_excel_without_trips_is_a_header_and_zero_totals(api: Api) -> None:
    rows = rows_of(api.get("users/drivers-report-excel/?from=2030-01-01"))
    assert rows == [
        ["Отчёт по водителям"], ["Водитель", "все"], ["Период", "с 01.01.2030"], [], DRIVERS_COLUMNS,
        ["Итого", "", "", "", "", 0, 0.0, 0.0],
    ]  # fmt: skip


@pytest.mark.parametrize("path", ["users/drivers-report/", "users/drivers-report-excel/"])
@pytest.mark.parametrize(
    ("query", "body"),
    [
        ("?from=2024-13-01", BAD_DATES),
        ("?to=yesterday", BAD_DATES),
        ("?from=2024-09-01&to=30.09.2024", BAD_DATES),
        ("?driver=abc", {"detail": "Параметр driver должен быть числом"}),
        ("?driver=0", {"detail": "Параметр driver должен быть числом"}),
        ("?driver=2147483648", {"detail": "Параметр driver должен быть числом"}),
    ],
)
def test_drivers_report_errors(api: Api, path: str, query: str, body: dict[str, str]) -> None:
    response = api.get(path + query)
    assert (response.status_code, response.json()) == (400, body)


# Permissions --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "passenger-car-waybills/export-excel/?car=1&from=2024-09-01&to=2024-09-30",
        "fire-truck-waybills/export-excel/?car=1&from=2024-09-01&to=2024-09-30",
        "users/drivers-report/",
        "users/drivers-report-excel/",
    ],
)
def test_reports_need_their_flag(api: Api, path: str) -> None:
    response = api.get(path, token=api.token_for("driver"))
    assert (response.status_code, response.json()) == (403, DENIED)
    response = api.get(path, token="")
    assert response.status_code == 401


def test_each_report_checks_its_own_flag(api: Api) -> None:
    role = api.ok("POST", "roles/", {"name": "Отчёты"}, status=201)
    api.ok("POST", "permissions/", {"role": role["id"], "view_drivers_reports": True,
                                    "can_download_fire_truck_waybills": True}, status=201)  # fmt: skip
    token = api.token_for(role["id"])
    assert api.get("users/drivers-report/", token=token).status_code == 200
    assert api.get("users/drivers-report-excel/", token=token).status_code == 403
    export = "waybills/export-excel/?car=1&from=2024-09-01&to=2024-09-30"
    assert api.get(f"fire-truck-{export}", token=token).json() == EMPTY
    assert api.get(f"passenger-car-{export}", token=token).status_code == 403


def test_content_disposition_falls_back_to_ascii() -> None:
    assert content_disposition('Отчёт "Май" é.xlsx') == (
        'attachment; filename="Otchet _Mai_ e.xlsx"; '
        "filename*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82%20%22%D0%9C%D0%B0%D0%B9%22%20%C3%A9.xlsx"
    )
