"""Demo data: the original's seed fleet, users of each role, norms, states and a few worked waybills."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from opsuite.waybills.fleet import service as fleet_service
from opsuite.waybills.fleet.models import PassengerCar
from opsuite.waybills.fleet.schemas import (
    FireTruckIn,
    FireTruckNormIn,
    PassengerCarIn,
    PassengerCarNormIn,
    StateIn,
)
from opsuite.waybills.kinds import FIRE_TRUCK, PASSENGER, VehicleKind
from opsuite.waybills.roles.flags import ADMIN_CODE, DRIVER_CODE, MECHANIC_CODE
from opsuite.waybills.roles.models import Role
from opsuite.waybills.sheets import service as sheets_service
from opsuite.waybills.sheets.schemas import FireTruckRecordIn, FuelType, PassengerCarRecordIn, WaybillIn
from opsuite.waybills.users import service as users_service
from opsuite.waybills.users.models import User
from opsuite.waybills.users.schemas import UserIn

USERS = (
    ("admin", "admin123", ADMIN_CODE, "Пётр", "Администраторов", "Петрович", "+79000000001", None),
    ("mechanic", "mechanic123", MECHANIC_CODE, "Сергей", "Механиков", "Иванович", "+79000000002", None),
    ("driver_pass", "driver123", DRIVER_CODE, "Иван", "Иванов", "Иванович", "+79000000003", "5400123456"),
    (
        "driver_fire",
        "driver123",
        DRIVER_CODE,
        "Алексей",
        "Пожаров",
        "Сергеевич",
        "+79000000004",
        "5400654321",
    ),
)
D = Decimal
DEMO_DAY = dt.date(2025, 1, 15)


def load(session: Session, *, if_empty: bool = False) -> str:
    """Load the demo fleet and return how to log in."""
    if if_empty and session.scalar(select(PassengerCar.id).limit(1)) is not None:
        return "demo data already present; log in as admin / admin123"
    roles = {
        code: role_id
        for code, role_id in session.execute(select(Role.code, Role.id).where(Role.code.is_not(None)))
    }
    users = {}
    for login, password, code, name, surname, last_name, phone, license_ in USERS:
        existing = session.scalar(select(User).where(User.login == login, User.deleted_at.is_(None)))
        if existing is not None:  # e.g. an administrator created before the demo
            users[login] = existing
            continue
        users[login] = users_service.create_user(
            session,
            body=UserIn(
                name=name,
                surname=surname,
                last_name=last_name,
                login=login,
                password=password,
                phone=phone,
                driver_license=license_,
                role=roles[code],
            ),
        )
    start = dt.date(2025, 1, 1)
    cars = [
        fleet_service.create_car(
            session, kind=PASSENGER, body=PassengerCarIn(number=number, brand=brand, model=model)
        )
        for number, brand, model in (("А001АА54", "Toyota", "Camry"), ("А002АА54", "Lada", "Vesta"))
    ]
    trucks = [
        fleet_service.create_car(
            session, kind=FIRE_TRUCK, body=FireTruckIn(number=number, brand=brand, model=model, type=type_)
        )
        for number, brand, model, type_ in (
            ("Х111РУ54", "КАМАЗ", "43118", "АЦ-3,2-40"),
            ("Х222РУ54", "Урал", "5557", "АЦ-6,0-40"),
        )
    ]
    for car in cars:
        for season, city, area in (("summer", "0.090", "0.110"), ("winter", "0.100", "0.120")):
            fleet_service.create_norm(
                session,
                kind=PASSENGER,
                body=PassengerCarNormIn(
                    car=car.id, season=season, city_norm=D(city), area_norm=D(area), date=start
                ),
            )
        fleet_service.create_state(
            session, kind=PASSENGER, body=StateIn(car=car.id, odometer=100000, fuel=D("40.000"), date=start)
        )
    for truck in trucks:
        for season, km, pump, idle in (
            ("summer", "0.180", "0.250", "0.120"),
            ("winter", "0.200", "0.300", "0.150"),
        ):
            fleet_service.create_norm(
                session,
                kind=FIRE_TRUCK,
                body=FireTruckNormIn(
                    car=truck.id,
                    season=season,
                    km_norm=D(km),
                    with_pump_norm=D(pump),
                    without_pump_norm=D(idle),
                    date=start,
                ),
            )
        fleet_service.create_state(
            session,
            kind=FIRE_TRUCK,
            body=StateIn(car=truck.id, odometer=50000, fuel=D("150.000"), date=start),
        )
    waybill = _winter_waybill(
        session, PASSENGER, car=cars[0].id, driver=users["driver_pass"].id, fuel="petrol"
    )
    sheets_service.create_record(
        session,
        kind=PASSENGER,
        body=PassengerCarRecordIn(
            passenger_car_waybill=waybill.id,
            target="Поездка в город",
            departure_time=dt.time(8, 10),
            arrival_time=dt.time(10, 0),
            distance_city_km=20,
            distance_area_km=50,
            fuel_refueled=D("10.000"),
            fuel_used=D("7.500"),
        ),
    )
    card = _winter_waybill(
        session, FIRE_TRUCK, car=trucks[0].id, driver=users["driver_fire"].id, fuel="diesel"
    )
    sheets_service.create_record(
        session,
        kind=FIRE_TRUCK,
        body=FireTruckRecordIn(
            fire_truck_waybill=card.id,
            target="Выезд на пожар",
            departure_time=dt.time(14, 0),
            arrival_time=dt.time(15, 30),
            odometer_after=50020,
            time_with_pump=30,
            time_without_pump=10,
            fuel_refueled=D("0.000"),
            fuel_used=D("9.500"),
        ),
    )
    return (
        "demo data loaded; log in as admin / admin123 (also mechanic / mechanic123, driver_pass / driver123)"
    )


def _winter_waybill(session: Session, kind: VehicleKind, *, car: int, driver: int, fuel: FuelType) -> Any:
    """A winter waybill of the demo day."""
    body = WaybillIn(car=car, driver=driver, date=DEMO_DAY, norm_season="winter", fuel_type=fuel)
    return sheets_service.create_waybill(session, kind=kind, body=body)
